package org.outcalls.launcher.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One logging back-end for the whole process: Logback on the launcher's class path, exported to
 * the framework as {@code org.slf4j}; JUL (and through it the libraries that use it) bridged in.
 */
final class Logging {
    private Logging() {
    }

    /** Console shows warnings and errors (debug with verbose); the file under {@code logs} keeps info. */
    static void configureRuntime(Layout layout, boolean verbose) {
        Path config = layout.conf().resolve("logback.xml");
        configure(Files.isRegularFile(config) ? toUrl(config) : Logging.class.getResource("logback-default.xml"),
                layout.logs(), verbose ? "DEBUG" : "WARN", verbose ? "DEBUG" : "INFO");
    }

    private static void configure(URL config, Path logs, String consoleLevel, String fileLevel) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("outcalls.logs", logs.toString());
        context.putProperty("outcalls.console.level", consoleLevel);
        context.putProperty("outcalls.file.level", fileLevel);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("logging configuration " + config + " is invalid: " + e.getMessage(), e);
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        // Vert.x asks for its log delegate by name; SLF4J is what the framework exports.
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    }

    /** Flushes and closes appenders; call last. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static URL toUrl(Path p) {
        try {
            return p.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
