package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.ReadSource;
import dev.parley.support.ApiTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Without {@code parley.datasource.replica.url} nothing of the replicas exists: reads run as they are, the
 * DataSource is the primary's alone, and there is no probe, pool or write mark.
 */
class ReadSourceDefaultTest extends ApiTest {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private ReadSource reads;

    @Autowired
    private DataSource dataSource;

    @Test
    void withoutReplicasEveryReadIsThePrimarysAndNothingIsAdded() throws Exception {
        assertThat(reads).isSameAs(ReadSource.PRIMARY);
        assertThat(dataSource.isWrapperFor(ReplicaRouting.class)).isFalse();
        assertThat(context.getBeanNamesForType(ReplicaDataSources.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ReplicaProbe.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ReplicaConfig.WriteMarks.class)).isEmpty();
        // A message sent and read back works as ever.
        var alice = api.register("noreplica");
        var bob = api.register("noreplica");
        var conversation = chat.direct(alice, bob);
        chat.sendOk(alice, conversation, "primary only");
        assertThat(chat.history(alice, conversation).get(0).path("content").asString())
                .isEqualTo("primary only");
    }
}
