package io.omnipeer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bench's own arithmetic and option parsing (runs with {@code mvn -Pbench -pl bench -am test}). */
class StatsAndArgsTest {
    @Test
    void medianAndNearestRankPercentiles() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertThat(odd.median()).isEqualTo(3.0);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(5.0);
        Stats even = Stats.of(List.of(4.0, 1.0, 2.0, 3.0));
        assertThat(even.median()).isEqualTo(2.5);
        List<Double> hundred = new java.util.ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            hundred.add((double) i);
        }
        assertThat(Stats.of(hundred).p95()).isEqualTo(190.0);
        assertThat(Stats.of(List.of()).n()).isZero();
    }

    @Test
    void optionsPositionalsAndBooleanFlags() {
        Args a = Args.parse(new String[] {"client", "--addr", "/ip4/127.0.0.1/tcp/1", "--streams", "16", "--target", "x",
                "--target", "y"});
        assertThat(a.mode("server")).isEqualTo("client");
        assertThat(a.get("addr", "")).isEqualTo("/ip4/127.0.0.1/tcp/1");
        assertThat(a.getInt("streams", 1)).isEqualTo(16);
        assertThat(a.getLong("upload", 7)).isEqualTo(7);
        assertThat(a.all("target")).containsExactly("x", "y");
        Args q = Args.parse(new String[] {"--quick", "connect"}, Set.of("quick"));
        assertThat(q.get("quick", "false")).isEqualTo("true");
        assertThat(q.positionals()).containsExactly("connect");
    }
}
