package io.resdet.eval.mot;

/**
 * Tracking metrics of one sequence. CLEAR MOT and identity metrics as py-motmetrics computes them (MOTA, MOTP here
 * as mean IoU of the matches, switches, fragmentations, MT/PT/ML, IDF1/IDP/IDR); HOTA, DetA, AssA, LocA as TrackEval
 * computes them (averaged over the 19 localisation thresholds 0.05..0.95).
 */
public record MotResult(int frames, int gtObjects, int predictions, int gtTracks, int predictedTracks,
                        int matches, int falsePositives, int misses, int idSwitches, int fragmentations,
                        int mostlyTracked, int partiallyTracked, int mostlyLost,
                        double mota, double motp,
                        int idtp, int idfp, int idfn, double idp, double idr, double idf1,
                        double hota, double detA, double assA, double locA) {}
