package dev.parley.attachment;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;

/** The upload flow on the embedded default: files in the data folder, URLs signed and served by Parley. */
class LocalStorageAttachmentTest extends ApiTest implements AttachmentFlowContract {

    @Override
    public TestClient api() {
        return api;
    }
}
