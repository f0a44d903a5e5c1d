package dev.parley.encryption;

import dev.parley.user.AccountErasure;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted account's identity key, signed prekey and one-time prekeys. */
@Component
@Order(AccountErasure.KEYS)
class KeyErasure implements AccountErasure {

    private final KeyRepository keys;

    KeyErasure(KeyRepository keys) {
        this.keys = keys;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        keys.erase(userId);
        return true;
    }
}
