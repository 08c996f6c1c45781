package io.ocular.eval;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtocolsTest {
    @TempDir
    Path dir;

    private Path touch(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p.toAbsolutePath().normalize();
    }

    @Test
    void holidaysQueriesAreTheZeroZeroFilesAndExcludeThemselves() throws IOException {
        Path q1 = touch("jpg/100000.jpg");
        Path a = touch("jpg/100001.jpg");
        Path b = touch("jpg/100002.jpg");
        Path q2 = touch("jpg/100100.jpg");
        Path c = touch("jpg/100101.jpg");
        touch("jpg/README.txt");
        touch("jpg/notes.jpg");
        GroundTruth gt = Protocols.load("holidays", dir);
        assertThat(gt.images()).containsExactly(q1, a, b, q2, c);
        assertThat(gt.database()).isEqualTo(gt.images());
        assertThat(gt.queries()).extracting(GroundTruth.QuerySpec::image).containsExactly(q1, q2);
        assertThat(gt.queries().get(0).relevant()).isEqualTo(Set.of(a, b));
        assertThat(gt.queries().get(1).relevant()).isEqualTo(Set.of(c));
        assertThat(gt.queries()).allMatch(GroundTruth.QuerySpec::excludeSelf);
        assertThat(gt.measures()).containsExactly(GroundTruth.Measure.MAP);
    }

    @Test
    void ukbenchGroupsFourConsecutiveIdsAndIncludesTheQuery() throws IOException {
        for (int i = 0; i < 8; i++) {
            touch(String.format("ukbench%05d.jpg", i));
        }
        GroundTruth gt = Protocols.load("ukbench", dir);
        assertThat(gt.queries()).hasSize(8).noneMatch(GroundTruth.QuerySpec::excludeSelf);
        GroundTruth.QuerySpec q5 = gt.queries().get(5);
        assertThat(q5.image().getFileName().toString()).isEqualTo("ukbench00005.jpg");
        assertThat(q5.relevant()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("ukbench00004.jpg", "ukbench00005.jpg", "ukbench00006.jpg", "ukbench00007.jpg");
        assertThat(gt.depth()).isEqualTo(4);
    }

    @Test
    void classesComeFromFolderNames() throws IOException {
        Path a1 = touch("cats/1.jpg");
        Path a2 = touch("cats/2.png");
        Path b1 = touch("dogs/x/3.jpg");
        Path b2 = touch("dogs/x/4.jpg");
        touch(".hidden/5.jpg");
        GroundTruth gt = Protocols.classes(dir);
        assertThat(gt.images()).containsExactlyInAnyOrder(a1, a2, b1, b2);
        assertThat(gt.queries()).hasSize(4).allMatch(GroundTruth.QuerySpec::excludeSelf);
        assertThat(gt.queries()).filteredOn(q -> q.image().equals(a1)).singleElement()
                .extracting(GroundTruth.QuerySpec::relevant).isEqualTo(Set.of(a2));
        assertThat(gt.queries()).filteredOn(q -> q.image().equals(b2)).singleElement()
                .extracting(GroundTruth.QuerySpec::relevant).isEqualTo(Set.of(b1));
    }

    @Test
    void classesComeFromGroundTruthTsvWhenPresent() throws IOException {
        Path a = touch("img/a.jpg");
        Path b = touch("img/b.jpg");
        Path c = touch("img/c.jpg");
        Files.writeString(dir.resolve("groundtruth.tsv"), "image\tclass\tclass_id\nimg/a.jpg\tsea\t0\n"
                + "img/b.jpg\tsea\t0\nimg/c.jpg\tsky\t1\n");
        GroundTruth gt = Protocols.classes(dir);
        assertThat(gt.images()).containsExactly(a, b, c);
        // c is alone in its class: nothing to find, so it is no query
        assertThat(gt.queries()).extracting(GroundTruth.QuerySpec::image).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void badGroundTruthIsAClearError() throws IOException {
        touch("img/a.jpg");
        Files.writeString(dir.resolve("groundtruth.tsv"), "image\tclass\nimg/a.jpg\tsea\nimg/gone.jpg\tsea\n");
        assertThatThrownBy(() -> Protocols.classes(dir)).isInstanceOf(OcularException.class)
                .hasMessageContaining("do not exist").hasMessageContaining("img/gone.jpg");
        Files.writeString(dir.resolve("groundtruth.tsv"), "file\tlabel\nimg/a.jpg\tsea\n");
        assertThatThrownBy(() -> Protocols.classes(dir)).isInstanceOf(OcularException.class)
                .hasMessageContaining("'image' and 'class'");
        assertThatThrownBy(() -> Protocols.load("nope", dir)).isInstanceOf(OcularException.class)
                .hasMessageContaining("Unknown protocol");
        assertThatThrownBy(() -> Protocols.load("classes", dir.resolve("missing"))).isInstanceOf(OcularException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void cifarTakesTheFirstFilesOfEachClassAsQueriesAndTheRestAsDatabase() throws IOException {
        for (String cls : new String[] {"cat", "dog"}) {
            for (int i = 0; i < 5; i++) {
                touch(cls + "/" + i + ".jpg");
            }
        }
        GroundTruth gt = Protocols.cifar(dir, 2, 3);
        assertThat(gt.images()).hasSize(10);
        assertThat(gt.database()).hasSize(6);
        assertThat(gt.queries()).extracting(q -> dir.relativize(q.image()).toString().replace('\\', '/'))
                .containsExactly("cat/0.jpg", "cat/1.jpg", "dog/0.jpg", "dog/1.jpg");
        assertThat(gt.queries().get(0).relevant()).extracting(p -> dir.relativize(p).toString().replace('\\', '/'))
                .containsExactlyInAnyOrder("cat/2.jpg", "cat/3.jpg", "cat/4.jpg");
        assertThat(gt.depth()).isEqualTo(3);
        assertThatThrownBy(() -> Protocols.cifar(dir, 5, 3)).isInstanceOf(OcularException.class)
                .hasMessageContaining("needs more than 5");
    }
}
