package io.seriatim.core.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each script's header against the Java side: the KEYS and ARGV it lists are the names its
 * {@link Script} constant declares (and {@link ScriptRunner} refuses a call with other counts),
 * and its body reads exactly the KEYS it lists and no ARGV it does not.
 */
class ScriptHeadersTest {
    /**
     * {@code KEYS[3] stats}, {@code ARGV[9..] jobs}: an index, maybe "..", then the name, at the
     * start of a line or two spaces after the previous one (prose that mentions "ARGV[2]" has one).
     */
    private static final Pattern DECLARED = Pattern.compile("(?m)(?:^\\s*|\\s{2})(KEYS|ARGV)\\[(\\d+)(\\.\\.)?]\\s+(\\w+)");
    private static final Pattern READ = Pattern.compile("(KEYS|ARGV)\\[(\\d+)]");

    @ParameterizedTest
    @EnumSource(Script.class)
    void theHeaderListsTheKeysAndArgvTheJavaCallPasses(Script script) {
        Header h = Header.of(script);
        assertThat(h.names("KEYS")).as(script.fileName() + " KEYS").isEqualTo(script.keyNames());
        assertThat(h.names("ARGV")).as(script.fileName() + " ARGV").isEqualTo(script.argNames());
    }

    @ParameterizedTest
    @EnumSource(Script.class)
    void theBodyReadsEveryListedKeyAndNoArgvBeyondTheHeader(Script script) {
        Header h = Header.of(script);
        assertThat(h.reads("KEYS")).as(script.fileName() + ": KEYS[n] the body reads")
                .isEqualTo(indexes(script.keyNames().size()));
        int fixedArgs = (int) script.argNames().stream().filter(n -> !n.endsWith("..")).count();
        assertThat(h.reads("ARGV")).as(script.fileName() + ": ARGV[n] the body reads").isEqualTo(indexes(fixedArgs));
    }

    @Test
    void aCallWithOtherCountsThanTheHeaderIsRefusedBeforeRedisIsAsked() {
        ScriptRunner runner = new ScriptRunner(null); // never reached
        assertThatThrownBy(() -> runner.run(Script.PROMOTE_DELAYED, List.of(new byte[1]), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("promote_delayed.lua takes 2 KEYS [delayed, stats], got 1");
        assertThatThrownBy(() -> runner.run(Script.RENEW, List.of(new byte[1], new byte[1]), List.of(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("renew.lua takes at least 2 ARGV [workerId, leaseMs, pairs..], got 1");
    }

    private static Set<Integer> indexes(int n) {
        Set<Integer> out = new TreeSet<>();
        for (int i = 1; i <= n; i++) {
            out.add(i);
        }
        return out;
    }

    /** A script file split at the end of its {@code --[[ ]]} header; the body as Redis runs it. */
    private record Header(String header, String body) {
        static Header of(Script script) {
            String file = read("/io/seriatim/core/script/" + script.fileName());
            String source = script.source();
            return new Header(file.substring(0, file.indexOf("]]")), source.substring(source.indexOf("]]")));
        }

        /** The names the header lists, in index order, checking the indexes run 1, 2, 3... */
        List<String> names(String array) {
            List<String> out = new ArrayList<>();
            Matcher m = DECLARED.matcher(header);
            while (m.find()) {
                if (m.group(1).equals(array)) {
                    assertThat(Integer.parseInt(m.group(2))).as(array + " index of " + m.group(4)).isEqualTo(out.size() + 1);
                    out.add(m.group(4) + (m.group(3) == null ? "" : ".."));
                }
            }
            return out;
        }

        Set<Integer> reads(String array) {
            Set<Integer> out = new TreeSet<>();
            Matcher m = READ.matcher(body);
            while (m.find()) {
                if (m.group(1).equals(array)) {
                    out.add(Integer.parseInt(m.group(2)));
                }
            }
            return out;
        }

        private static String read(String resource) {
            try (InputStream in = ScriptHeadersTest.class.getResourceAsStream(resource)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
