package dev.parley.push.devices;

import dev.parley.user.AccountErasure;
import java.util.UUID;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted account's push targets and notification settings: nothing is pushed to its devices again. */
@Component
@Order(AccountErasure.SESSIONS + 10)
class DeviceErasure implements AccountErasure {

    private final DeviceRepository devices;

    DeviceErasure(DeviceRepository devices) {
        this.devices = devices;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        devices.erase(userId); // at most the per-user device cap (10) rows
        return true;
    }
}
