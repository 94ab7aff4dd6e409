package io.resdet.cli;

import io.resdet.tracking.TrackerSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * Tracking options (a picocli mixin shared by detect and serve): {@code --track} and ByteTrack's parameters. The
 * parameters are null unless given, so serve's config file and environment can set them too.
 */
public final class TrackOptions {
    @Option(names = "--track",
            description = "Follow objects from frame to frame (ByteTrack: Kalman filter + IoU, two-stage matching), per video (detect) or"
                    + " per stream (serve); each detection gets \"track_id\" (null when no confirmed track claims it), annotated videos colour boxes by track.")
    boolean track;

    @Option(names = "--mot-results", paramLabel = "FILE",
            description = "With --track: also write the tracks in MOTChallenge format (frame,id,x,y,w,h,score,-1,-1,-1; frame = video"
                    + " frame index + 1) for `eval mot`. One video input.")
    Path motResults;

    @Option(names = "--interpolate", paramLabel = "N",
            description = "With --mot-results: fill a track's gaps of at most N frames with linearly interpolated boxes, as ByteTrack"
                    + " does for its MOTChallenge results (default: 0, off).")
    Integer interpolate;

    @Option(names = "--zones", paramLabel = "FILE",
            description = "With --track: zones and counting lines, JSON {\"streams\": {\"*\": {\"zones\": [{\"name\", \"polygon\": [[x,y],...]}],"
                    + " \"lines\": [{\"name\", \"from\": [x,y], \"to\": [x,y]}]}}} (README: Zones and line counts; a video's stream id is"
                    + " its file name without extension). JSON lines get \"zones\" (tracks in each zone) and \"events\" (enter, exit, cross);"
                    + " annotated videos show zones, lines, counts and track trails; the counts go to stderr at the end.")
    Path zones;

    @Option(names = "--track-thresh", paramLabel = "S",
            description = "Scores at or above S are high detections; tracks start at S + 0.1 (default: 0.75; ByteTrack's is 0.5).")
    Double trackThresh;

    @Option(names = "--track-buffer", paramLabel = "N",
            description = "Frames (at 30 fps; scaled by the video's rate) a lost track waits to be found again (default: 30).")
    Integer trackBuffer;

    @Option(names = "--match-thresh", paramLabel = "D",
            description = "Largest 1 - IoU of the first association (default: 0.8).")
    Double matchThresh;

    @Option(names = "--class-aware", description = "Only a detection of the track's own class continues it (default: any class, as ByteTrack).")
    Boolean classAware;

    TrackerSettings settings() {
        try {
            TrackerSettings t = TrackerSettings.DEFAULT;
            if (trackThresh != null) t = t.withTrackThresh(trackThresh);
            if (trackBuffer != null) t = t.withTrackBuffer(trackBuffer);
            if (matchThresh != null) t = t.withMatchThresh(matchThresh);
            if (classAware != null) t = t.withClassAware(classAware);
            return t;
        } catch (IllegalArgumentException e) {
            throw new UserError("tracking: " + e.getMessage());
        }
    }

    /** serve's config keys for the options given (tracking parameters only with --track, as serve's config wants). */
    void putServiceFlags(Map<String, Object> f) {
        if (motResults != null || interpolate != null) throw new UserError((motResults != null ? "--mot-results" : "--interpolate")
                + ": detect writes MOT files; serve publishes track ids in its results");
        if (!track) {
            if (zones != null) throw new UserError("--zones needs --track (zones count tracks)");
            return;
        }
        f.put("track", true);
        f.put("track-thresh", trackThresh);
        f.put("track-buffer", trackBuffer);
        f.put("match-thresh", matchThresh);
        f.put("class-aware", classAware);
        if (zones != null) f.put("zones", zones.toString());
    }
}
