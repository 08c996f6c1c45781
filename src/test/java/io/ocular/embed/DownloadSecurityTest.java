package io.ocular.embed;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Security review (docs/decisions/0130): model downloads use HTTPS only, redirects included, and nothing
 * reaches the target before its SHA-256 matches. The local test server speaks plain http on 127.0.0.1,
 * which {@link ModelDownloader#requireSecure} allows for loopback only.
 */
class DownloadSecurityTest {
    @TempDir
    Path tmp;
    private LocalFileServer server;
    private final byte[] content = "a model".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private String sha;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        server.put("/model.onnx", content);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path download(URI uri) {
        Path target = tmp.resolve("models/x/model.onnx");
        return new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), 1, Duration.ZERO)
                .download(uri, target, content.length, sha, ModelDownloader.Listener.NONE, () -> false);
    }

    @Test
    void plainHttpToAnyOtherHostIsRefusedBeforeConnecting() {
        for (String url : new String[]{"http://models.example.com/model.onnx", "http://10.0.0.1/model.onnx",
                "ftp://example.com/model.onnx", "file:///etc/passwd", "http://127.0.0.1.example.com/m.onnx"}) {
            assertThatThrownBy(() -> download(URI.create(url))).as(url).isInstanceOf(OcularException.class)
                    .hasMessageContaining("only over HTTPS").hasMessageContaining("Nothing was downloaded");
        }
        assertThat(tmp.resolve("models/x/model.onnx")).doesNotExist();
        assertThat(ModelDownloader.partOf(tmp.resolve("models/x/model.onnx"))).doesNotExist();
    }

    @Test
    void httpsAndLoopbackHttpAreAllowed() {
        for (String url : new String[]{"https://huggingface.co/x", "http://127.0.0.1:8080/x", "http://localhost/x",
                "http://[::1]:9/x"}) {
            assertThatCode(() -> ModelDownloader.requireSecure(URI.create(url), URI.create(url))).as(url)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aRedirectToPlainHttpElsewhereIsRefused() {
        server.behaviour("/moved.onnx").redirectTo = "http://downloads.example.com/model.onnx";
        assertThatThrownBy(() -> download(server.uri("/moved.onnx"))).isInstanceOf(OcularException.class)
                .hasMessageContaining("only over HTTPS").hasMessageContaining("redirects to http://downloads.example.com");
        assertThat(tmp.resolve("models/x/model.onnx")).doesNotExist();
    }

    @Test
    void safeRedirectsAreFollowedButNotForever() throws Exception {
        server.behaviour("/old.onnx").redirectTo = "/model.onnx"; // relative, same loopback server
        assertThat(Files.readAllBytes(download(server.uri("/old.onnx")))).isEqualTo(content);
        Files.delete(tmp.resolve("models/x/model.onnx"));
        server.behaviour("/loop.onnx").redirectTo = "/loop.onnx";
        assertThatThrownBy(() -> download(server.uri("/loop.onnx"))).isInstanceOf(OcularException.class)
                .hasMessageContaining("more than " + ModelDownloader.MAX_REDIRECTS + " times");
    }

    @Test
    void aFileWithTheWrongChecksumIsNeverInstalled() {
        server.put("/model.onnx", "a modeL".getBytes(java.nio.charset.StandardCharsets.UTF_8)); // same size
        assertThatThrownBy(() -> download(server.uri("/model.onnx"))).isInstanceOf(OcularException.class)
                .hasMessageContaining("SHA-256");
        assertThat(tmp.resolve("models/x/model.onnx")).doesNotExist();
    }

    @Test
    void credentialsInDownloadLinksNeverReachMessagesOrLogs() {
        URI signed = URI.create(server.uri("/missing.onnx") + "?X-Amz-Signature=s3cr3t&token=s3cr3t");
        assertThatThrownBy(() -> download(signed)).isInstanceOf(OcularException.class)
                .hasMessageContaining("/missing.onnx").hasMessageNotContaining("s3cr3t");
        assertThat(ModelDownloader.redact(URI.create("https://user:s3cr3t@example.com:8443/a/b.onnx?sig=s3cr3t#x")))
                .isEqualTo("https://example.com:8443/a/b.onnx?...");
        assertThatThrownBy(() -> download(URI.create("http://user:s3cr3t@example.com/m.onnx")))
                .hasMessageNotContaining("s3cr3t").hasMessageContaining("only over HTTPS");
    }
}
