package io.als.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against a loopback HTTP server that serves archives made here; nothing leaves the machine. */
class FetcherTest {
    static final String RATINGS = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n";
    static final String README = "Summary\n=======\nA small test set.\n\nUsage License\n=============\n"
            + "Research use only; do not redistribute.\n\nCitation\n========\nCite the test.\n";

    @TempDir
    Path dir;
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    /** Serves an archive and a .md5 file in GroupLens's format for it (or for {@code md5Of}). */
    private void serve(String archive, byte[] zip, byte[] md5Of) throws Exception {
        files.put(archive, zip);
        files.put(archive + ".md5", ("MD5 (" + archive + ") = " + md5(md5Of) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void fetchesVerifiesUnpacksAndReadsTheLicence() throws Exception {
        byte[] archive = zip(Map.of("ml-latest-small/ratings.csv", RATINGS, "ml-latest-small/README.txt", README));
        serve("ml-latest-small.zip", archive, archive);
        long[] seen = new long[2];
        Fetcher.Result r = new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, dir, (done, total) -> {
            seen[0] = done;
            seen[1] = total;
        });
        assertTrue(r.downloaded());
        assertEquals(md5(archive), r.md5());
        assertEquals(dir.resolve("ml-latest-small/ratings.csv"), r.ratings());
        assertEquals(RATINGS, Files.readString(r.ratings()));
        assertEquals(archive.length, seen[0]);
        assertEquals(archive.length, seen[1]);
        assertTrue(r.licence().startsWith("Usage License"), r.licence());
        assertTrue(r.licence().contains("do not redistribute"), r.licence());
        assertFalse(r.licence().contains("Cite the test"), "stops at the next section");
        assertEquals(List.of(), leftovers(), "no temporary file or folder is left");
        // A second fetch finds the data and downloads nothing.
        int before = requests.get();
        Fetcher.Result again = new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, dir, Fetcher.Progress.NONE);
        assertFalse(again.downloaded());
        assertEquals(before, requests.get());
    }

    @Test
    void aChecksumMismatchFailsAndLeavesNothing() throws Exception {
        byte[] archive = zip(Map.of("ml-latest-small/ratings.csv", RATINGS));
        serve("ml-latest-small.zip", archive, "something else".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, dir, Fetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(md5(archive)),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("ml-latest-small")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aServerThatDisagreesWithTheKnownChecksumIsRefused() throws Exception {
        // Our archive's MD5 cannot be GroupLens's published 0e33842e... for ml-100k.
        byte[] archive = zip(Map.of("ml-100k/u.data", "1\t1\t5\t0\n"));
        serve("ml-100k.zip", archive, archive);
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(base()).fetch(MovieLens.ML_100K, dir, Fetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("0e33842e24a9c977be4e0107933c0723"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("ml-100k")));
    }

    @Test
    void entriesThatEscapeTheFolderAreRefused() throws Exception {
        for (String evil : new String[] {"../evil.txt", "ml-latest-small/../../evil.txt", "/tmp/evil.txt"}) {
            byte[] archive = zip(Map.of("ml-latest-small/ratings.csv", RATINGS, evil, "pwned"));
            serve("ml-latest-small.zip", archive, archive);
            IOException e = assertThrows(IOException.class,
                    () -> new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, dir, Fetcher.Progress.NONE), evil);
            assertTrue(e.getMessage().contains("zip slip") && e.getMessage().contains(evil), e.getMessage());
            assertFalse(Files.exists(dir.resolve("evil.txt")));
            assertFalse(Files.exists(dir.getParent().resolve("evil.txt")));
            assertFalse(Files.exists(dir.resolve("ml-latest-small")));
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void missingFilesOnTheServerAreReported() {
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, dir, Fetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("cannot be verified"), e.getMessage());
    }

    @Test
    void anArchiveWithoutTheRatingsFileIsRejected() throws Exception {
        byte[] archive = zip(Map.of("something/else.csv", "1,2,3\n"));
        serve("ml-latest-small.zip", archive, archive);
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, dir, Fetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("has no ml-latest-small/ratings.csv"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("ml-latest-small")));
    }

    @Test
    void namesParse() {
        assertEquals(MovieLens.ML_10M, MovieLens.parse("ML-10M"));
        assertEquals("ml-10M100K", MovieLens.ML_10M.folder());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MovieLens.parse("ml-2m"));
        assertTrue(e.getMessage().contains("ml-100k, ml-1m"), e.getMessage());
    }
    /** Fetches into a folder two levels below the temporary one, and checks that no folder of it remains. */
    private String unreachable(String baseUrl, java.time.Duration timeout) {
        Path target = dir.resolve("new/data");
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(baseUrl, timeout).fetch(MovieLens.ML_100K, target, Fetcher.Progress.NONE));
        assertFalse(Files.exists(dir.resolve("new")), "the fetch left a folder it created");
        assertTrue(e.getMessage() != null && !e.getMessage().contains("null"), String.valueOf(e.getMessage()));
        return e.getMessage();
    }

    @Test
    void anUnresolvableHostIsNamedAndNothingIsLeft() {
        // .invalid never resolves (RFC 6761), so nothing leaves the machine.
        String m = unreachable("http://files.example.invalid/datasets/", java.time.Duration.ofSeconds(5));
        assertEquals("cannot download http://files.example.invalid/datasets/ml-100k.zip.md5: cannot resolve"
                + " files.example.invalid (no network, or no DNS for that name)", m);
    }

    @Test
    void aRefusedConnectionIsNamedAndNothingIsLeft() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String m = unreachable("http://127.0.0.1:" + port + "/", java.time.Duration.ofSeconds(5));
        assertTrue(m.startsWith("cannot download http://127.0.0.1:" + port + "/ml-100k.zip.md5: cannot connect to"
                + " 127.0.0.1:" + port + " ("), m);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndNothingIsLeft() throws IOException {
        // The kernel accepts the connection into the backlog; nobody ever reads the request.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String m = unreachable("http://127.0.0.1:" + silent.getLocalPort() + "/", java.time.Duration.ofMillis(300));
            assertTrue(m.contains("127.0.0.1:" + silent.getLocalPort() + " accepted the connection but did not answer"
                    + " within 0.300 s") || m.contains("timed out after 0.300 s connecting to 127.0.0.1"), m);
        }
    }

    @Test
    void aFailureAfterTheFirstRequestRemovesTheFoldersItMade() throws Exception {
        // The checksum is served, the archive is not: the download fails after the folders were made.
        files.put("ml-latest-small.zip.md5", "MD5 (ml-latest-small.zip) = 0123456789abcdef0123456789abcdef\n"
                .getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(dir.resolve("kept"));
        Path target = dir.resolve("kept/new/deeper");
        IOException e = assertThrows(IOException.class,
                () -> new Fetcher(base()).fetch(MovieLens.ML_LATEST_SMALL, target, Fetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("kept/new")), "folders the fetch made are removed");
        assertTrue(Files.isDirectory(dir.resolve("kept")), "a folder that was there stays");
    }
}
