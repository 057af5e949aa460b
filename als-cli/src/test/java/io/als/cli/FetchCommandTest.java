package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code als fetch} against a loopback server serving an archive made here. */
class FetchCommandTest {

    @Test
    void fetchesFromTheGivenBaseUrlAndPrintsTheLicence(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("ml-latest-small/ratings.csv"));
            z.write("userId,movieId,rating,timestamp\r\n1,1,4.0,1\r\n2,1,3.5,2\r\n".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("ml-latest-small/README.txt"));
            z.write("Usage License\n=============\nNo commercial use.\n\nCitation\n========\nx\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        byte[] zip = bytes.toByteArray();
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(zip));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.endsWith(".zip") ? zip : path.endsWith(".zip.md5")
                    ? ("MD5 (ml-latest-small.zip) = " + md5 + "\n").getBytes(StandardCharsets.US_ASCII) : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/datasets/movielens/";
            MainTest.Run r = MainTest.run("fetch", "ml-latest-small", "--dir", dir.toString(), "--base-url", base);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("MD5 " + md5 + " verified"), r.out());
            assertTrue(r.out().contains("No commercial use."), r.out());
            assertTrue(r.out().contains("GroupLens Research"), r.out());
            Path ratings = dir.resolve("ml-latest-small/ratings.csv");
            assertTrue(Files.isRegularFile(ratings));
            // The fetched CSV (CRLF, header, half stars) is ready for cv.
            MainTest.Run cv = MainTest.run("cv", "--data", ratings.toString(), "--holdout", "0.5", "--rank", "1",
                    "--iterations", "1", "--json");
            assertEquals(0, cv.code(), cv.err());
            assertTrue(cv.out().contains("\"step\":0.5"), cv.out());
            MainTest.Run again = MainTest.run("fetch", "--set", "ml-latest-small", "--dir", dir.toString(),
                    "--base-url", base, "--json");
            assertTrue(again.out().contains("\"downloaded\":false"), again.out());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unknownNamesAreListed(@TempDir Path dir) {
        MainTest.Run r = MainTest.run("fetch", "ml-2m", "--dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-latest-small"), r.err());
        assertEquals(2, MainTest.run("fetch", "--dir", dir.toString()).code(), "the name is required");
    }
}
