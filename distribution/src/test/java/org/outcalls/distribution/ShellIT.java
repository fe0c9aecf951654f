package org.outcalls.distribution;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Hashtable;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.outcalls.replica.SubnetNode;

/** The outcalls: Gogo commands inside Felix with the distribution's bundles, run through Gogo itself. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT {
    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor shell;

    @Configuration
    public Option[] config() {
        return DistributionOptions.runtime("shell",
                systemProperty("it.data").value(Dist.target().resolve("exam").resolve("shell-data").toString()));
    }

    @Test
    public void theCommandsReadAndChangeTheSubnet() throws Exception {
        CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        try {
            session.execute("outcalls:status");
            throw new AssertionError("status without a subnet must fail");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no subnet runs in this process"));
        }

        Hashtable<String, Object> subnet = new Hashtable<>();
        subnet.put("replicas", 4);
        subnet.put("dataDir", System.getProperty("it.data"));
        configurationAdmin.getConfiguration("org.outcalls.subnet.embedded", "?").update(subnet);
        ServiceTracker<SubnetNode, SubnetNode> tracker = new ServiceTracker<>(context, SubnetNode.class, null);
        tracker.open();
        try {
            assertNotNull("the subnet did not start", tracker.waitForService(30_000));
            String status = statusOnceBound(session);
            assertTrue(status, status.contains("4 replicas, f = 1, threshold 3"));
            String plugins = String.valueOf(session.execute("outcalls:plugins"));
            assertTrue(plugins, row("median", "0.1.0").matcher(plugins).find()
                    && row("identity", "0.1.0").matcher(plugins).find());

            String disabled = String.valueOf(session.execute("outcalls:disable median"));
            assertTrue(disabled, disabled.startsWith("disabled median at height "));
            String after = String.valueOf(session.execute("outcalls:plugins"));
            assertTrue(after, row("median", "-").matcher(after).find());
            String enabled = String.valueOf(session.execute("outcalls:enable median"));
            assertTrue(enabled, enabled.startsWith("enabled median at height "));
            String again = String.valueOf(session.execute("outcalls:plugins"));
            assertTrue(again, row("median", "0.1.0").matcher(again).find());
        } finally {
            tracker.close();
            session.close();
        }
    }

    /**
     * The first status once the shell sees the subnet: the shell binds its dynamic reference on the
     * same service event that wakes this test's tracker, so the tracker may hear of it first (a
     * full test run saw "no subnet runs in this process" right after the tracker had the service).
     */
    private static String statusOnceBound(CommandSession session) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return String.valueOf(session.execute("outcalls:status"));
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("no subnet runs in this process") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** A row of the plugin table: the name, the enabled version (or "-"), then 0.1.0 installed on all four. */
    private static java.util.regex.Pattern row(String name, String enabled) {
        return java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name) + " +"
                + java.util.regex.Pattern.quote(enabled) + " +0\\.1\\.0 \\[0, 1, 2, 3\\]");
    }
}
