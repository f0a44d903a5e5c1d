package dev.parley.attachment;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The contract's image upload flow: ticket, PUT straight to storage, complete; and fresh URLs on request. */
@Tag(name = "Attachments", description = "Image uploads: ticket, upload straight to storage, complete")
@RestController
@RequestMapping("/api/v1/messages/attachments")
class AttachmentController {

    private final AttachmentService attachments;

    AttachmentController(AttachmentService attachments) {
        this.attachments = attachments;
    }

    @Operation(operationId = "createUploadUrl", summary = "Get a signed URL to upload an image to")
    @ApiErrors({ErrorCode.INVALID_ATTACHMENT, ErrorCode.ATTACHMENT_TOO_LARGE, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PostMapping("/upload-url")
    UploadTicket uploadUrl(AuthUser caller, @Valid @RequestBody UploadUrlRequest request) {
        return attachments.createUpload(caller.id(), request);
    }

    @Operation(operationId = "completeUpload", summary = "Check an uploaded image and start processing it")
    @ApiErrors({ErrorCode.ATTACHMENT_NOT_FOUND, ErrorCode.INVALID_ATTACHMENT, ErrorCode.ATTACHMENT_TOO_LARGE})
    @PostMapping("/complete")
    AttachmentView complete(AuthUser caller, @Valid @RequestBody CompleteUploadRequest request) {
        return attachments.complete(caller.id(), request.attachmentId());
    }

    /** The attachment with fresh signed URLs: for its uploader and the participants of its conversation. */
    @Operation(operationId = "getAttachment", summary = "Get an attachment with fresh URLs")
    @ApiErrors({ErrorCode.ATTACHMENT_NOT_FOUND})
    @GetMapping("/{attachmentId}")
    AttachmentView get(AuthUser caller, @PathVariable UUID attachmentId) {
        return attachments.get(caller.id(), attachmentId);
    }
}
