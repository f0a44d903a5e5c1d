package dev.parley.contact;

import dev.parley.user.AccountErasure;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted account's contacts and contact requests, both ways. */
@Component
@Order(AccountErasure.PROFILE + 50)
class ContactErasure implements AccountErasure {

    private final ContactRepository contacts;

    ContactErasure(ContactRepository contacts) {
        this.contacts = contacts;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        return contacts.eraseSome(userId, batch) < batch;
    }
}
