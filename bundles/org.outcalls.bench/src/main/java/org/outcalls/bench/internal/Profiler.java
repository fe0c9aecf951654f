package org.outcalls.bench.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** A Java Flight Recorder recording of the whole run ({@code --profile}), with the JDK's "profile" settings. */
final class Profiler {
    private final Recording recording;
    private final Path file;

    private Profiler(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static Profiler start(Path file) throws IOException, ParseException {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setName("outcalls bench");
        r.start();
        return new Profiler(r, file);
    }

    void stop() throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
    }
}
