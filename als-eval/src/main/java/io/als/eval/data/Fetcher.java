package io.als.eval.data;

import io.als.internal.OutputPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a MovieLens archive, checks it and unpacks it, so that either the complete data
 * set appears in the target folder or nothing does.
 *
 * <ol>
 *   <li>Fetch {@code <archive>.md5} from the server; it must agree with the MD5 known in
 *       {@link MovieLens} when there is one (a server that disagrees is not trusted).</li>
 *   <li>Stream {@code <archive>} to a temporary file beside the target, hashing it on the way;
 *       a mismatch deletes it and fails with both values.</li>
 *   <li>Unpack into a temporary folder, refusing any entry whose path would land outside it
 *       ("zip slip": absolute names, {@code ..}), then move the data set's folder into place
 *       in one rename and delete the archive.</li>
 * </ol>
 *
 * <p>A server that cannot be reached fails the fetch at its first request, before anything
 * is created, with the host and the reason (it cannot be resolved, it refused the connection,
 * it timed out). A failure later removes what the fetch created: the temporary files, and the
 * target folder and its parents if the fetch made them and they are still empty.
 */
public final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

    /** Where GroupLens serves the archives. */
    public static final String DEFAULT_BASE_URL = "https://files.grouplens.org/datasets/movielens/";
    /** The {@code .md5} files read "MD5 (ml-1m.zip) = HEX"; md5sum's "HEX  name" is accepted too. */
    private static final Pattern MD5 = Pattern.compile("\\b([0-9a-fA-F]{32})\\b");
    private static final int BUFFER = 1 << 16;
    /** Refuse archives that unpack to more than this (the largest, ml-25m, is about 1.1 GB). */
    static final long MAX_UNPACKED_BYTES = 8L << 30;

    /** Hears about download progress. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        /** @param total the size announced by the server, or -1 */
        void bytes(long done, long total);
    }

    /**
     * What a fetch did.
     *
     * @param folder      the unpacked data set
     * @param ratings     its ratings file
     * @param md5         the verified MD5 (null when the data set was already there)
     * @param downloaded  whether anything was downloaded
     * @param licence     the usage licence section of the data set's README, or null if not found
     */
    public record Result(Path folder, Path ratings, String md5, boolean downloaded, String licence) {
    }

    /** How long to wait for a connection, and then for the server's answer to begin. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;

    /** @param baseUrl where the archives are, e.g. {@link #DEFAULT_BASE_URL} (tests use a loopback server) */
    public Fetcher(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUrl where the archives are
     * @param timeout how long to wait for a connection, and then for each answer to begin
     */
    public Fetcher(String baseUrl, Duration timeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(timeout).build();
    }

    /** Fetches {@code set} into {@code dir}; does nothing but read its licence when it is already there. */
    public Result fetch(MovieLens set, Path dir, Progress progress) throws IOException {
        Path folder = dir.resolve(set.folder());
        Path ratings = folder.resolve(set.ratingsFile());
        if (Files.isRegularFile(ratings)) {
            LOG.info("{} is already in {}; delete that folder to fetch it again", set.id(), folder);
            return new Result(folder, ratings, null, false, licence(folder));
        }
        // Before downloading: the folder (the command's --dir) must be a folder that accepts files.
        OutputPaths.checkFolder("--dir", dir);
        if (Files.exists(folder)) {
            throw new IOException(folder + " exists but has no " + set.ratingsFile()
                    + "; remove it and fetch again");
        }
        // The first request: a server that cannot be reached fails here, before anything is created.
        String expected = expectedMd5(set);
        Path created = firstMissing(dir.toAbsolutePath().normalize());
        Files.createDirectories(dir);
        try {
            return fetch(set, dir, folder, ratings, expected, progress);
        } catch (IOException | RuntimeException | Error e) {
            if (created != null) {
                removeEmptyDirectories(dir.toAbsolutePath().normalize(), created);
            }
            throw e;
        }
    }

    private Result fetch(MovieLens set, Path dir, Path folder, Path ratings, String expected, Progress progress)
            throws IOException {
        Path archive = Files.createTempFile(dir, "." + set.archive() + ".", ".part");
        Path unpacked = null;
        try {
            String actual = download(uri(set.archive()), archive, progress);
            if (!actual.equals(expected)) {
                throw new IOException(set.archive() + ": checksum mismatch: MD5 must be " + expected + " but was "
                        + actual + "; the download is corrupt or was tampered with (nothing was unpacked)");
            }
            LOG.info("{}: MD5 {} verified", set.archive(), actual);
            unpacked = Files.createTempDirectory(dir, "." + set.folder() + ".");
            unzip(archive, unpacked, set.archive());
            Path inner = unpacked.resolve(set.folder());
            Path source = Files.isDirectory(inner) ? inner : unpacked;
            if (!Files.isRegularFile(source.resolve(set.ratingsFile()))) {
                throw new IOException(set.archive() + " has no " + set.folder() + "/" + set.ratingsFile()
                        + "; it is not the expected archive");
            }
            move(source, folder);
            return new Result(folder, ratings, actual, true, licence(folder));
        } finally {
            Files.deleteIfExists(archive);
            if (unpacked != null) {
                deleteTree(unpacked);
            }
        }
    }

    private URI uri(String name) {
        return base.resolve(name);
    }

    /** The MD5 to check against: the server's {@code .md5} file, which must match the known value if any. */
    private String expectedMd5(MovieLens set) throws IOException {
        String published;
        URI md5Uri = uri(set.archive() + ".md5");
        HttpResponse<String> r;
        try {
            r = client.send(HttpRequest.newBuilder(md5Uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // Not reachable: the archive on the same server will not be either.
            throw unreachable(md5Uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + md5Uri, e);
        }
        try {
            if (r.statusCode() != 200) {
                throw new IOException(md5Uri + ": HTTP " + r.statusCode());
            }
            Matcher m = MD5.matcher(r.body());
            if (!m.find()) {
                throw new IOException(md5Uri + ": no MD5 in '" + r.body().strip() + "'");
            }
            published = m.group(1).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            if (set.knownMd5() == null) {
                throw new IOException("cannot read the checksum " + md5Uri + " (" + e.getMessage()
                        + ") and " + set.id() + " has no built-in one, so the download cannot be verified", e);
            }
            LOG.warn("cannot read {} ({}); checking against the built-in MD5", md5Uri, e.getMessage());
            return set.knownMd5();
        }
        if (set.knownMd5() != null && !set.knownMd5().equals(published)) {
            throw new IOException(md5Uri + " says MD5 " + published + " but the published MD5 of " + set.archive()
                    + " is " + set.knownMd5() + "; refusing a server that disagrees");
        }
        return published;
    }

    /** Streams {@code uri} into {@code file}; returns the MD5 of what was written. */
    private String download(URI uri, Path file, Progress progress) throws IOException {
        LOG.info("downloading {}", uri);
        HttpResponse<InputStream> r;
        try {
            r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + uri, e);
        }
        long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest md5 = md5();
        try (InputStream raw = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException(uri + ": HTTP " + r.statusCode());
            }
            try (InputStream in = new DigestInputStream(raw, md5); OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[BUFFER];
                long done = 0;
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    out.write(buf, 0, n);
                    done += n;
                    progress.bytes(done, total);
                }
                if (total >= 0 && done != total) {
                    throw new IOException(uri + ": the server announced " + total + " bytes but sent " + done);
                }
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** Unpacks {@code zip} into {@code into}, refusing entries that would land outside it. */
    static void unzip(Path zip, Path into, String name) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long written = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            byte[] buf = new byte[BUFFER];
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = root.resolve(e.getName()).normalize();
                if (e.getName().startsWith("/") || e.getName().startsWith("\\") || !target.startsWith(root)
                        || target.equals(root)) {
                    throw new IOException(name + ": entry '" + e.getName() + "' would be written outside "
                            + into + "; refusing the archive (zip slip)");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        written += n;
                        if (written > MAX_UNPACKED_BYTES) {
                            throw new IOException(name + " unpacks to more than " + MAX_UNPACKED_BYTES
                                    + " bytes; refusing it");
                        }
                        out.write(buf, 0, n);
                    }
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(to + " appeared while fetching; remove it and fetch again", e);
        }
    }

    /**
     * The usage licence section of the data set's README: from the line naming the usage
     * licence to the next section heading, with HTML tags removed.
     */
    static String licence(Path folder) throws IOException {
        for (String name : new String[] {"README", "README.txt", "README.html"}) {
            Path readme = folder.resolve(name);
            if (!Files.isRegularFile(readme)) {
                continue;
            }
            List<String> lines = Files.readAllLines(readme, StandardCharsets.ISO_8859_1);
            List<String> out = new ArrayList<>();
            boolean inside = false;
            for (String raw : lines) {
                String line = raw.replaceAll("<[^>]*>", "").stripTrailing();
                String upper = line.toUpperCase(Locale.ROOT);
                if (!inside && upper.contains("USAGE LICENSE")) {
                    inside = true;
                } else if (inside && (upper.startsWith("CITATION") || upper.contains("CITATION ===")
                        || upper.strip().equals("CITATION"))) {
                    break;
                }
                if (inside) {
                    out.add(line);
                }
            }
            if (!out.isEmpty()) {
                return String.join("\n", out).strip();
            }
        }
        return null;
    }

    /** An error for a request that got no answer: the address, the host and why. */
    private IOException unreachable(URI uri, IOException e) {
        return new IOException("cannot download " + uri + ": " + reason(uri, e, timeout), e);
    }

    /**
     * Why a request failed, in words: the cause chain of the HTTP client's exceptions (whose
     * messages are often null) read for the known cases.
     */
    static String reason(URI uri, IOException e, Duration timeout) {
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "cannot resolve " + host + " (no network, or no DNS for that name)";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "timed out after " + seconds(timeout) + " connecting to " + host + ":" + port;
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return host + ":" + port + " accepted the connection but did not answer within " + seconds(timeout);
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "the secure connection to " + host + " failed (" + t.getMessage() + ")";
            }
        }
        if (e instanceof java.net.ConnectException) {
            return "cannot connect to " + host + ":" + port + " (" + (e.getMessage() != null ? e.getMessage()
                    : "connection refused, or the host is unreachable") + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "")
                + " while talking to " + host;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3g s", d.toMillis() / 1000.0);
    }

    /** The outermost of {@code dir} and its parents that does not exist, or null if {@code dir} exists. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /** Deletes {@code dir} and its parents up to {@code top}, each only while it is empty. */
    private static void removeEmptyDirectories(Path dir, Path top) {
        for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException notEmptyOrGone) {
                return;
            }
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
