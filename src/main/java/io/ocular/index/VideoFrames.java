package io.ocular.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A few representative frames ("moments") of a video, with their time, decoded by the system's
 * {@code ffmpeg}/{@code ffprobe} (decision 0140) through {@link ProcessBuilder} argument arrays.
 *
 * <p>Short videos (up to {@link Config#longVideoSeconds}): only keyframes are decoded ({@code -skip_frame
 * nokey}, about 3x cheaper than decoding every frame; encoders put keyframes at scene cuts and phones every
 * 1-2 s), scaled by ffmpeg to working size, and a keyframe becomes a moment when it is at least
 * {@link Config#minGapSeconds} after the previous moment and differs from it visibly (mean absolute
 * difference of 16 x 16 grey signatures); at most {@link Config#maxMoments}, the most different kept.
 * Long videos (a 4-hour recording): {@link Config#maxMoments} evenly spaced seeks instead of a full pass.
 * Every ffmpeg run has a time limit. Failures are {@link ImageDecodeException}s with a reason for the user.
 */
public final class VideoFrames {
    private static final Logger LOG = LoggerFactory.getLogger(VideoFrames.class);
    private static final Pattern PTS = Pattern.compile("pts_time:\\s*(-?[0-9.]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One frame of a video: its time from the start and the picture (RGB, upright, at working size). */
    public record Moment(double seconds, BufferedImage image) {
        /** "0:42" or "1:02:03". */
        public String label() {
            long s = Math.round(Math.floor(seconds));
            return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }

    /** What ffprobe says about a file; {@code created} is the container's creation time, or null. */
    public record Probe(double durationSeconds, int width, int height, String codec, Instant created) {
    }

    /**
     * @param maxMoments       most moments per video
     * @param minGapSeconds    least time between two moments
     * @param longVideoSeconds above this, evenly spaced seeks replace the keyframe pass
     * @param timeoutSeconds   limit for one ffmpeg run
     * @param secondsPerMoment a short video gets at most one moment per this many seconds, but at least
     *                         {@link #MIN_CAP} (a 12-second clip of three scenes keeps all three; a 1-minute clip
     *                         at most 8); 0: {@code maxMoments} for every video
     */
    public record Config(int maxMoments, double minGapSeconds, double longVideoSeconds, long timeoutSeconds,
                         double secondsPerMoment) {
        /** The least cap of a short video's moments (see {@code secondsPerMoment}). */
        public static final int MIN_CAP = 4;
        /** 8 s per moment, at most 12: a 1-minute clip costs about 8 photos' worth of embedding plus its decoding. */
        public static final Config DEFAULT = new Config(12, 3.0, 600.0, 120, 8.0);

        /** Every video capped at {@code maxMoments}. */
        public Config(int maxMoments, double minGapSeconds, double longVideoSeconds, long timeoutSeconds) {
            this(maxMoments, minGapSeconds, longVideoSeconds, timeoutSeconds, 0);
        }

        /** The most moments a video of this length gets. */
        public int capFor(double durationSeconds) {
            if (secondsPerMoment <= 0) {
                return maxMoments;
            }
            int byLength = (int) Math.ceil(durationSeconds / secondsPerMoment);
            return Math.min(maxMoments, Math.max(Math.min(MIN_CAP, maxMoments), byLength));
        }
    }

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Config config;

    public VideoFrames(Path ffmpeg, Path ffprobe, Config config) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.config = config;
    }

    /** ffmpeg and ffprobe from the PATH, or null when either is missing. */
    public static VideoFrames system(Config config) {
        Path mpeg = onPath("ffmpeg");
        Path probe = onPath("ffprobe");
        return mpeg == null || probe == null ? null : new VideoFrames(mpeg, probe, config);
    }

    /** What to tell a user without ffmpeg. */
    public static String missingReason() {
        return "videos need ffmpeg, which is not installed: install it (e.g. 'sudo apt install ffmpeg', "
                + "'brew install ffmpeg', or 'winget install ffmpeg')";
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[]{tool, tool + ".exe"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Duration, size and codec of the first video stream. */
    public Probe probe(Path video) throws IOException {
        if (Files.size(video) == 0) {
            throw new ImageDecodeException(video, "empty file");
        }
        Run r = run(video, List.of(ffprobe.toString(), "-v", "error", "-show_entries",
                "format=duration:format_tags=creation_time:stream=codec_type,codec_name,width,height", "-of", "json", video.toString()), null);
        if (r.exit != 0) {
            throw new ImageDecodeException(video, "corrupt or unsupported video (ffprobe: " + lastLine(r.err) + ")");
        }
        JsonNode root = JSON.readTree(r.out);
        double duration = root.at("/format/duration").asDouble(Double.NaN);
        for (JsonNode s : root.path("streams")) {
            if ("video".equals(s.path("codec_type").asText())) {
                if (!(duration > 0)) {
                    throw new ImageDecodeException(video, "corrupt video (no duration)");
                }
                return new Probe(duration, s.path("width").asInt(), s.path("height").asInt(), s.path("codec_name").asText(),
                        created(root.at("/format/tags/creation_time").asText("")));
            }
        }
        throw new ImageDecodeException(video, "no video stream in this file (audio only?)");
    }

    private static Instant created(String text) {
        try {
            Instant t = text.isEmpty() ? null : Instant.parse(text);
            return t == null || t.getEpochSecond() <= 0 ? null : t; // some cameras write 1970 or 1904
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A video's probe and its moments. */
    public record Clip(Probe probe, List<Moment> moments) {
        public Clip {
            moments = List.copyOf(moments);
        }
    }

    /** The moments of {@code video}, each scaled so its shorter side is {@code shortSide} pixels. */
    public List<Moment> moments(Path video, int shortSide) throws IOException {
        return clip(video, shortSide).moments();
    }

    /** What ffprobe says about {@code video} and its moments (see {@link #moments}). */
    public Clip clip(Path video, int shortSide) throws IOException {
        Probe p = probe(video);
        String scale = "scale=w='if(lt(iw,ih),min(iw," + shortSide + "),-2)':h='if(lt(iw,ih),-2,min(ih," + shortSide + "))'";
        List<Moment> out = p.durationSeconds() > config.longVideoSeconds()
                ? spaced(video, p, scale) : keyframes(video, scale, config.capFor(p.durationSeconds()));
        if (out.isEmpty()) {
            throw new ImageDecodeException(video, "corrupt video (no frame could be decoded)");
        }
        return new Clip(p, out);
    }

    private List<Moment> keyframes(Path video, String scale, int cap) throws IOException {
        List<String> cmd = List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "info", "-threads", "2",
                "-skip_frame", "nokey", "-i", video.toString(), "-map", "0:v:0", "-an", "-sn",
                "-vf", scale + ",showinfo", "-fps_mode", "passthrough", "-f", "image2pipe", "-vcodec", "ppm", "-");
        List<Candidate> picked = new ArrayList<>();
        Run r = run(video, cmd, (frames, times) -> {
            MomentPicker picker = new MomentPicker(cap, config.minGapSeconds());
            int i = 0;
            BufferedImage img;
            while ((img = Ppm.read(frames)) != null) {
                double t = timeOf(times, i);
                picker.offer(Double.isNaN(t) ? i * config.minGapSeconds() : t, img);
                i++;
            }
            picked.addAll(picker.picked());
        });
        if (r.exit != 0 && picked.isEmpty()) {
            throw new ImageDecodeException(video, "corrupt or unsupported video (ffmpeg: " + lastLine(r.err) + ")");
        }
        List<Moment> out = new ArrayList<>();
        for (Candidate c : picked) {
            out.add(new Moment(c.seconds, c.image));
        }
        return out;
    }

    private List<Moment> spaced(Path video, Probe p, String scale) throws IOException {
        List<Moment> out = new ArrayList<>();
        int n = config.maxMoments();
        for (int i = 0; i < n; i++) {
            double t = p.durationSeconds() * (i + 0.5) / n;
            BufferedImage img = seek(video, t, scale);
            if (img != null) {
                out.add(new Moment(t, img));
            }
        }
        return out;
    }

    /**
     * The frame at {@code seconds} (or the nearest one before the end), its longer side at most {@code longSide}
     * pixels: a video's thumbnail. Only what the seek needs is decoded.
     */
    public BufferedImage frameAt(Path video, double seconds, int longSide) throws IOException {
        Probe p = probe(video);
        double t = Math.max(0, Math.min(seconds, p.durationSeconds() - 0.1));
        String scale = "scale=w='if(gt(iw,ih),min(iw," + longSide + "),-2)':h='if(gt(iw,ih),-2,min(ih," + longSide + "))'";
        BufferedImage img = seek(video, t, scale);
        if (img == null && t > 0) {
            img = seek(video, 0, scale);
        }
        if (img == null) {
            throw new ImageDecodeException(video, "corrupt video (no frame could be decoded)");
        }
        return img;
    }

    /** One frame from a fast seek (before the input: from the nearest keyframe), or null. */
    private BufferedImage seek(Path video, double t, String scale) throws IOException {
        List<String> cmd = List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error",
                "-ss", String.format(Locale.ROOT, "%.3f", t), "-i", video.toString(), "-map", "0:v:0", "-an", "-sn",
                "-frames:v", "1", "-vf", scale, "-f", "image2pipe", "-vcodec", "ppm", "-");
        List<BufferedImage> got = new ArrayList<>();
        run(video, cmd, (frames, times) -> {
            BufferedImage img = Ppm.read(frames);
            if (img != null) {
                got.add(img);
            }
        });
        return got.isEmpty() ? null : got.get(0);
    }

    // ---- choosing moments ------------------------------------------------------------------------

    record Candidate(double seconds, BufferedImage image, int[] signature, double change) {
    }

    /**
     * Picks moments from frames in time order: the first frame, then frames at least {@code minGap} seconds
     * after the last pick whose signature differs from it by at least {@link #THRESHOLD}; keeps the
     * {@code max} most different (the first always). Holds at most {@code max} images.
     */
    static final class MomentPicker {
        static final double THRESHOLD = 10.0;

        private final int max;
        private final double minGap;
        private final List<Candidate> kept = new ArrayList<>();
        private Candidate last;

        MomentPicker(int max, double minGap) {
            this.max = max;
            this.minGap = minGap;
        }

        void offer(double seconds, BufferedImage image) {
            if (last != null && seconds - last.seconds < minGap) {
                return; // too soon: not even its signature is needed
            }
            int[] sig = signature(image);
            if (last == null) {
                last = new Candidate(seconds, image, sig, Double.MAX_VALUE);
                kept.add(last);
                return;
            }
            double change = difference(sig, last.signature);
            if (change < THRESHOLD) {
                return;
            }
            last = new Candidate(seconds, image, sig, change);
            kept.add(last);
            if (kept.size() > max) {
                kept.stream().skip(1).min(Comparator.comparingDouble(Candidate::change)).ifPresent(kept::remove);
            }
        }

        List<Candidate> picked() {
            List<Candidate> out = new ArrayList<>(kept);
            out.sort(Comparator.comparingDouble(Candidate::seconds));
            return out;
        }

        /** 16 x 16 mean grey levels. */
        static int[] signature(BufferedImage img) {
            int[] sig = new int[256];
            int w = img.getWidth();
            int h = img.getHeight();
            for (int gy = 0; gy < 16; gy++) {
                for (int gx = 0; gx < 16; gx++) {
                    int x0 = gx * w / 16;
                    int x1 = Math.max(x0 + 1, (gx + 1) * w / 16);
                    int y0 = gy * h / 16;
                    int y1 = Math.max(y0 + 1, (gy + 1) * h / 16);
                    long sum = 0;
                    int n = 0;
                    for (int y = y0; y < Math.min(y1, h); y++) {
                        for (int x = x0; x < Math.min(x1, w); x++) {
                            int p = img.getRGB(x, y);
                            sum += (((p >> 16) & 0xff) * 3 + ((p >> 8) & 0xff) * 6 + (p & 0xff)) / 10;
                            n++;
                        }
                    }
                    sig[gy * 16 + gx] = n == 0 ? 0 : (int) (sum / n);
                }
            }
            return sig;
        }

        static double difference(int[] a, int[] b) {
            long d = 0;
            for (int i = 0; i < a.length; i++) {
                d += Math.abs(a[i] - b[i]);
            }
            return (double) d / a.length;
        }
    }

    // ---- running ffmpeg --------------------------------------------------------------------------

    private interface FrameSink {
        void accept(InputStream frames, List<Double> times) throws IOException;
    }

    private record Run(int exit, String out, String err) {
    }

    /**
     * Runs a command; stdout goes to {@code sink} (or is collected when null), stderr is collected and its
     * showinfo pts_time values are handed to the sink as they arrive. Killed after the time limit.
     */
    private Run run(Path video, List<String> cmd, FrameSink sink) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).start();
        List<Double> times = Collections.synchronizedList(new ArrayList<>());
        StringBuilder err = new StringBuilder();
        Thread errReader = new Thread(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = PTS.matcher(line);
                    if (line.contains("showinfo") && m.find()) {
                        times.add(Double.parseDouble(m.group(1)));
                    } else if (err.length() < 8192) {
                        err.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                LOG.debug("stderr of ffmpeg: {}", e.toString());
            }
        }, "ffmpeg-stderr");
        errReader.setDaemon(true);
        errReader.start();
        Thread killer = new Thread(() -> {
            try {
                if (!p.waitFor(config.timeoutSeconds(), TimeUnit.SECONDS)) {
                    LOG.info("{}: ffmpeg ran past {} s; stopped", video, config.timeoutSeconds());
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "ffmpeg-timeout");
        killer.setDaemon(true);
        killer.start();
        String out = "";
        try (InputStream in = new BufferedInputStream(p.getInputStream(), 1 << 16)) {
            p.getOutputStream().close();
            if (sink == null) {
                out = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            } else {
                sink.accept(in, times);
            }
            in.transferTo(OutputStream.nullOutputStream());
            p.waitFor();
            errReader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImageDecodeException(video, "interrupted");
        } finally {
            killer.interrupt();
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), out, err.toString());
    }

    /**
     * The time of frame {@code i}: ffmpeg logs a frame's showinfo line before writing the frame, but the two
     * pipes are read by different threads, so wait briefly for the line to be parsed. NaN when none came.
     */
    private static double timeOf(List<Double> times, int i) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (times.size() <= i && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
        return i < times.size() ? times.get(i) : Double.NaN;
    }

    /** Reads binary PPM (P6, 8-bit) images one after another, as ffmpeg's image2pipe writes them. */
    static final class Ppm {
        private Ppm() {
        }

        /** The next image, or null at the end of the stream (or of a cut-off last image). */
        static BufferedImage read(InputStream in) throws IOException {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c != 'P' || in.read() != '6') {
                throw new IOException("not a PPM stream");
            }
            int w = number(in);
            int h = number(in);
            int max = number(in);
            if (w <= 0 || h <= 0 || max != 255 || (long) w * h > 50_000_000L) {
                throw new IOException("unexpected PPM header " + w + "x" + h + " max " + max);
            }
            byte[] data = in.readNBytes(w * h * 3);
            if (data.length < w * h * 3) {
                return null;
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData(); // written in place
            for (int i = 0, p = 0; i < rgb.length; i++, p += 3) {
                rgb[i] = (data[p] & 0xff) << 16 | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff);
            }
            return img;
        }

        /** A decimal number after whitespace; consumes the one whitespace byte that ends it. */
        private static int number(InputStream in) throws IOException {
            int c = in.read();
            while (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                c = in.read();
            }
            int v = 0;
            int digits = 0;
            while (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                c = in.read();
                if (++digits > 9) {
                    throw new IOException("PPM number too long");
                }
            }
            if (digits == 0) {
                throw new IOException("bad PPM header");
            }
            return v;
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        String last = nl < 0 ? t : t.substring(nl + 1).strip();
        return last.isEmpty() ? "no output" : last.length() > 200 ? last.substring(0, 200) : last;
    }
}
