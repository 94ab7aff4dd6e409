package io.resdet.cli;

import io.resdet.tracking.TrackerSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Tracking options (a picocli mixin): {@code --track} and ByteTrack's parameters. */
public final class TrackOptions {
    @Option(names = "--track",
            description = "Videos: follow objects from frame to frame (ByteTrack: Kalman filter + IoU, two-stage matching);"
                    + " each detection gets \"track_id\" (null when no confirmed track claims it), annotated videos colour boxes by track.")
    boolean track;

    @Option(names = "--mot-results", paramLabel = "FILE",
            description = "With --track: also write the tracks in MOTChallenge format (frame,id,x,y,w,h,score,-1,-1,-1; frame = video"
                    + " frame index + 1) for `eval mot`. One video input.")
    Path motResults;

    @Option(names = "--zones", paramLabel = "FILE",
            description = "With --track: zones and counting lines, JSON {\"streams\": {\"*\": {\"zones\": [{\"name\", \"polygon\": [[x,y],...]}],"
                    + " \"lines\": [{\"name\", \"from\": [x,y], \"to\": [x,y]}]}}} (README: Zones and line counts; a video's stream id is"
                    + " its file name without extension). JSON lines get \"zones\" (tracks in each zone) and \"events\" (enter, exit, cross);"
                    + " annotated videos show zones, lines, counts and track trails; the counts go to stderr at the end.")
    Path zones;

    @Option(names = "--track-thresh", defaultValue = "0.75", paramLabel = "S",
            description = "Scores at or above S are high detections; tracks start at S + 0.1 (default: ${DEFAULT-VALUE}; ByteTrack's is 0.5).")
    double trackThresh;

    @Option(names = "--track-buffer", defaultValue = "30", paramLabel = "N",
            description = "Frames (at 30 fps; scaled by the video's rate) a lost track waits to be found again (default: ${DEFAULT-VALUE}).")
    int trackBuffer;

    @Option(names = "--match-thresh", defaultValue = "0.8", paramLabel = "D",
            description = "Largest 1 - IoU of the first association (default: ${DEFAULT-VALUE}).")
    double matchThresh;

    @Option(names = "--class-agnostic", description = "Let a detection continue a track of another class (default: same class only).")
    boolean classAgnostic;

    TrackerSettings settings() {
        try {
            return TrackerSettings.DEFAULT.withTrackThresh(trackThresh).withTrackBuffer(trackBuffer).withMatchThresh(matchThresh)
                    .withClassAware(!classAgnostic);
        } catch (IllegalArgumentException e) {
            throw new UserError("tracking: " + e.getMessage());
        }
    }
}
