package io.ocular.search;

import io.ocular.model.SearchHit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One result per video: the moments of a video are near each other in any embedding space, so a query that
 * matches one scene of a clip would otherwise fill the results with that clip. Its best moment stands for it
 * ("this video at 0:42"); photos pass through. Hits are best first, so the first moment of a video seen is
 * its best.
 */
public final class VideoHits {
    private VideoHits() {
    }

    public static List<SearchHit> bestMomentPerVideo(List<SearchHit> hits) {
        Set<Path> seen = new HashSet<>();
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (SearchHit h : hits) {
            if (!h.isMoment() || seen.add(h.path())) {
                out.add(h);
            }
        }
        return out;
    }
}
