package io.ocular.eval;

import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.search.local.MatchConfidence;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link InstanceEval} on the shared data and writes target/instance-eval.json.
 * {@code mvn -B -o -Pmodels test -Dtest=InstanceEvalModelsTest}; sizes via -Dinstance.sources etc.
 */
@Tag("models")
class InstanceEvalModelsTest {

    @Test
    void rerankingImprovesInstanceRetrieval() throws Exception {
        Path model = SharedData.mobileNetV2();
        Path corel = SharedData.dataset("corel1k");
        Path ukbench = SharedData.dataset("ukbench56");
        InstanceEval.Config d = InstanceEval.Config.defaults();
        InstanceEval.Config cfg = new InstanceEval.Config(Integer.getInteger("instance.sources", d.sources()),
                Integer.getInteger("instance.clutter", d.clutter()),
                Integer.getInteger("instance.distractors", d.distractors()),
                Integer.getInteger("instance.train", d.train()),
                Integer.getInteger("instance.maxFeatures", d.maxFeatures()), d.k(), d.seed(),
                new io.ocular.search.local.LocalVerifier.Config(Integer.getInteger("instance.promote", d.verifier().promoteInliers()),
                        d.verifier().promoteAlone(), d.verifier().promotion(),
                        Integer.getInteger("instance.confident") == null ? d.verifier().confidence()
                                : MatchConfidence.inliers(Integer.getInteger("instance.confident")),
                        Float.parseFloat(System.getProperty("instance.minSim", "" + d.verifier().minSimilarity())),
                        Float.parseFloat(System.getProperty("instance.ratio", "" + d.verifier().ratio())),
                        d.verifier().ransac(), d.verifier().reciprocalWeight(), d.verifier().confidenceReciprocal()));
        try (LocalFeatureExtractor ex = new LocalFeatureExtractor(model, LocalFeatureExtractor.Pyramid.standard(),
                Integer.getInteger("instance.threads", 2))) {
            Map<String, Object> report = new InstanceEval(ex, cfg).run(corel, ukbench);
            String json = InstanceEval.toJson(report);
            System.out.println(json);
            Files.writeString(Path.of("target", "instance-eval.json"), json);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) report.get("mAP");
            assertThat((double) map.get("after")).isGreaterThan((double) map.get("before"));
        }
    }
}
