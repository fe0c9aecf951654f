package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.multihost.ReplicaConfig;

/** change_members' argument and a joining replica's configuration survive their encodings exactly. */
class MembersArgumentTest {
    @TempDir
    Path temp;

    private static List<Member> members() {
        List<Member> m = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            m.add(Member.of(i, Fixture.key(i + 1).publicKey(), "127.0.0.1:" + (7700 + i)));
        }
        return m;
    }

    @Test
    void theArgumentRoundTripsAndTrailingOrAlteredBytesAreRefused() throws DecodeException {
        MembersArgument a = new MembersArgument(3, members());
        byte[] bytes = a.encode();
        assertEquals(a, MembersArgument.decode(bytes));
        assertArrayEquals(bytes, MembersArgument.decode(bytes).encode());
        assertThrows(DecodeException.class, () -> MembersArgument.decode(Arrays.copyOf(bytes, bytes.length + 1)));
        byte[] version = bytes.clone();
        version[0] = 2;
        assertThrows(DecodeException.class, () -> MembersArgument.decode(version));
    }

    @Test
    void aJoiningReplicasConfigurationNamesTheNewMembers() throws Exception {
        Genesis.Builder b = Genesis.builder().timeMillis(Fixture.T0).admin(Fixture.key(100).publicKey());
        for (int i = 0; i < 4; i++) {
            b.member(Fixture.key(i + 1).publicKey(), "127.0.0.1:" + (7800 + i));
        }
        Genesis g = b.build();
        List<Member> next = new ArrayList<>(g.registry().members());
        next.add(Member.of(4, Fixture.key(50).publicKey(), "127.0.0.1:7804"));
        Path file = temp.resolve("replica.json");
        ReplicaConfig c = new ReplicaConfig(file, 4, temp.resolve("node.key"), "127.0.0.1", 7804, temp.resolve("data"),
                java.util.Optional.empty(), java.time.Duration.ofMillis(150), java.time.Duration.ofMillis(300),
                ReplicaConfig.Store.DEFAULT, g, 2, next);
        c.write();
        ReplicaConfig read = ReplicaConfig.read(file);
        assertEquals(next, read.members());
        assertEquals(2, read.registryVersion());
        assertEquals(next.get(4), read.member());
    }
}
