package dev.parley.attachment;

import dev.parley.common.AuthUser;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The contract's image upload flow: ticket, PUT straight to storage, complete; and fresh URLs on request. */
@RestController
@RequestMapping("/api/v1/messages/attachments")
class AttachmentController {

    private final AttachmentService attachments;

    AttachmentController(AttachmentService attachments) {
        this.attachments = attachments;
    }

    @PostMapping("/upload-url")
    UploadTicket uploadUrl(AuthUser caller, @Valid @RequestBody UploadUrlRequest request) {
        return attachments.createUpload(caller.id(), request);
    }

    @PostMapping("/complete")
    AttachmentView complete(AuthUser caller, @Valid @RequestBody CompleteUploadRequest request) {
        return attachments.complete(caller.id(), request.attachmentId());
    }

    /** The attachment with fresh signed URLs: for its uploader and the participants of its conversation. */
    @GetMapping("/{attachmentId}")
    AttachmentView get(AuthUser caller, @PathVariable UUID attachmentId) {
        return attachments.get(caller.id(), attachmentId);
    }
}
