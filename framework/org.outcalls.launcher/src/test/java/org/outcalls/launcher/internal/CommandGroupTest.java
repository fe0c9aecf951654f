package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A command that only groups others, given no subcommand, prints its own usage on stderr and exits 2. */
class CommandGroupTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "admin", "admin api-key", "identity", "subnet"})
    void aGroupWithoutASubcommandPrintsItsUsageAndIsWrongUsage(String command) {
        String[] args = command.isEmpty() ? new String[0] : command.split(" ");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = Main.commandLine().execute(args);
        } finally {
            System.setErr(err);
        }
        assertEquals(ExitCodes.USAGE, exit);
        String usage = captured.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: outcalls" + (command.isEmpty() ? "" : " " + command) + " [-hV] [COMMAND]"), usage);
        assertTrue(usage.contains("Commands:"), usage);
    }
}
