package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --items-file}: the three MovieLens layouts, each in its own encoding, detected by
 * content and extension, and a malformed file named with its line.
 */
class ItemTitlesTest {
    @TempDir
    Path dir;

    @Test
    void readsMovieLens100kItemFileAsLatin1() throws IOException {
        ItemTitles t = ItemTitles.read(SharedData.require("ml-100k/u.item"));
        assertEquals(ItemTitles.Layout.PIPE, t.layout());
        assertEquals(1682, t.size());
        assertEquals("Star Wars (1977)", t.title("50"));
        // ISO-8859-1: a UTF-8 reading would turn the é into a replacement character.
        assertEquals("Misérables, Les (1995)", t.title("543"));
        assertNull(t.title("1683"));
    }

    @Test
    void readsMovieLens1mMoviesDatAsLatin1() throws IOException {
        ItemTitles t = ItemTitles.read(SharedData.require("ml-1m/movies.dat"));
        assertEquals(ItemTitles.Layout.DAT, t.layout());
        assertEquals("Toy Story (1995)", t.title("1"));
        assertEquals("Misérables, Les (1995)", t.title("73"));
        assertEquals("Metisse (Café au Lait) (1993)", t.title("582"));
    }

    @Test
    void readsMoviesCsvWithQuotedTitlesAsUtf8() throws IOException {
        Path csv = dir.resolve("movies.csv");
        Files.writeString(csv, "movieId,title,genres\n"
                + "1,Toy Story (1995),Adventure|Animation\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                + "12,\"Say \"\"Hi\"\", Again (2001)\",Comedy\n"
                + "13,Amélie (2001),Comedy|Romance\r\n", StandardCharsets.UTF_8);
        ItemTitles t = ItemTitles.read(csv);
        assertEquals(ItemTitles.Layout.CSV, t.layout());
        assertEquals("Toy Story (1995)", t.title("1"));
        assertEquals("American President, The (1995)", t.title("11"));
        assertEquals("Say \"Hi\", Again (2001)", t.title("12"));
        assertEquals("Amélie (2001)", t.title("13"));
        assertNull(t.title("movieId"), "the header is no item");
    }

    @Test
    void detectsTheLayoutByContentWhateverTheName() throws IOException {
        Path dat = Files.writeString(dir.resolve("items.txt"), "7::Seven (1995)::Crime\n");
        assertEquals(ItemTitles.Layout.DAT, ItemTitles.read(dat).layout());
        Path pipe = Files.writeString(dir.resolve("items"), "7|Seven (1995)|01-Jan-1995\n");
        assertEquals("Seven (1995)", ItemTitles.read(pipe).title("7"));
        Path csv = Files.writeString(dir.resolve("noext"), "id,title\n7,Seven (1995)\n");
        assertEquals(ItemTitles.Layout.CSV, ItemTitles.read(csv).layout());
        // A numeric id written with leading zeros still finds the model's "7".
        Path zeros = Files.writeString(dir.resolve("z.dat"), "007::Seven (1995)::Crime\n");
        assertEquals("Seven (1995)", ItemTitles.read(zeros).title("7"));
    }

    @Test
    void malformedFilesFailWithFileAndLine() throws IOException {
        Path noTitle = Files.writeString(dir.resolve("bad.dat"), "1::One::x\n2\n");
        assertEquals("--items-file " + noTitle + ":2: must hold an item id and a title as movies.dat"
                + " (id::title::genres) but was '2'", message(noTitle));
        Path twice = Files.writeString(dir.resolve("twice.item"), "1|One|\n1|Again|\n");
        assertEquals("--items-file " + twice + ":2: lists item 1 a second time (first on line 1)", message(twice));
        Path open = Files.writeString(dir.resolve("open.csv"), "movieId,title\n1,\"Not closed\n");
        assertTrue(message(open).startsWith("--items-file " + open + ":2: has a quoted field that is not closed"),
                message(open));
        Path latin1Csv = dir.resolve("latin1.csv");
        Files.write(latin1Csv, "movieId,title\n1,Ok\n2,Am\u00e9lie\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("--items-file " + latin1Csv + ":3: is not UTF-8 text; a movies.csv file must be UTF-8",
                message(latin1Csv));
        Path empty = Files.writeString(dir.resolve("empty.csv"), "movieId,title\n");
        assertTrue(message(empty).contains("lists no items"), message(empty));
        assertEquals("--items-file " + dir.resolve("absent.dat") + ": file not found",
                message(dir.resolve("absent.dat")));
    }

    /** Found by a hostile trial: each used to pass silently or to fail at the wrong line. */
    @Test
    void textIdsSpellingsAndBlankFirstLines() throws IOException {
        // A CSV file of text ids: its first line is an item, not a header to drop.
        Path text = Files.writeString(dir.resolve("text.csv"), "i1,Title One\ni2,Title Two\n");
        assertEquals("Title One", ItemTitles.read(text).title("i1"));
        // A header is still one when it names an id column, or when numbers follow it.
        Path named = Files.writeString(dir.resolve("named.csv"), "itemId,name\ni1,Title One\n");
        assertNull(ItemTitles.read(named).title("itemId"));
        Path numbers = Files.writeString(dir.resolve("numbers.csv"), "code,label\n7,Seven\n");
        assertNull(ItemTitles.read(numbers).title("code"));
        assertEquals("Seven", ItemTitles.read(numbers).title("7"));
        // Two spellings of one number are one item twice, for a model of numeric ids.
        Path spelled = Files.writeString(dir.resolve("spelled.item"), "1|A|x\n01|B|y\n");
        ItemTitles both = ItemTitles.read(spelled);
        assertEquals("--items-file " + spelled + ":2: lists item 1 a second time, as 01 (line 1 gave it as 1); the"
                + " model's item ids are numbers",
                assertThrows(IllegalArgumentException.class, () -> both.forIds(true)).getMessage());
        // For a model of text ids, 001 and 1 are two items, each matched as written only.
        ItemTitles exact = ItemTitles.read(Files.writeString(dir.resolve("one.item"), "1|One|x\n")).forIds(false);
        assertEquals("One", exact.title("1"));
        assertNull(exact.title("001"));
        assertEquals("B", both.forIds(false).title("01"));
        // A blank first line does not make a u.item file CSV.
        Path blank = Files.writeString(dir.resolve("blank.item"), "\n  \n7|Seven|x\n");
        assertEquals(ItemTitles.Layout.PIPE, ItemTitles.read(blank).layout());
        // A quoted CSV id keeps its spaces, as the ratings reader keeps them.
        Path spaced = Files.writeString(dir.resolve("spaced.csv"), "movieId,title\n\" s \",Spaced\ns,Plain\n");
        ItemTitles sp = ItemTitles.read(spaced).forIds(false);
        assertEquals("Spaced", sp.title(" s "));
        assertEquals("Plain", sp.title("s"));
        // A byte-order mark in any layout, also on a line of its own.
        for (String layout : new String[] {"1::A::x\n2::B::x\n", "1|A|x\n2|B|x\n", "\n\n1|A|x\n2|B|x\n"}) {
            Path bom = dir.resolve("bom.txt");
            Files.write(bom, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    layout.getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("A", ItemTitles.read(bom).title("1"), layout);
        }
        // A first line taken for a header because numbers follow is an item for a model of text ids.
        Path mixed = Files.writeString(dir.resolve("mixed.csv"), "plain,Title plain\n1,Title one\n");
        assertNull(ItemTitles.read(mixed).forIds(true).title("plain"));
        assertEquals("Title plain", ItemTitles.read(mixed).forIds(false).title("plain"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String message(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> ItemTitles.read(file)).getMessage();
    }
}
