package io.ocular.ui.main;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class GridRowsTest {
    private static final List<Instant> DATES = List.of(
            Instant.parse("2024-03-20T10:00:00Z"), Instant.parse("2024-03-02T10:00:00Z"),
            Instant.parse("2024-03-01T10:00:00Z"), Instant.parse("2024-03-01T09:00:00Z"),
            Instant.parse("2024-03-01T08:00:00Z"), // 5 in March: rows of 3 + 2
            Instant.parse("2023-12-24T10:00:00Z"), // 1 in December
            Instant.EPOCH, Instant.EPOCH);         // 2 without a date

    private static GridRows build(int columns) {
        return GridRows.build(DATES.size(), columns, DATES::get, ZoneOffset.UTC, Locale.ENGLISH);
    }

    @Test
    void eachMonthGetsAHeaderAndStartsOnANewRow() {
        GridRows rows = build(3);

        assertThat(rows.rows()).containsExactly(
                new GridRows.Header("March 2024", 0, 5), new GridRows.Photos(0, 3), new GridRows.Photos(3, 5),
                new GridRows.Header("December 2023", 5, 1), new GridRows.Photos(5, 6),
                new GridRows.Header(GridRows.UNDATED, 6, 2), new GridRows.Photos(6, 8));
    }

    @Test
    void theMonthIsReadInTheUsersTimeZone() {
        // 2024-03-01T08:00Z is still February west of UTC-8
        GridRows rows = GridRows.build(DATES.size(), 3, DATES::get, ZoneOffset.ofHours(-9), Locale.ENGLISH);

        assertThat(rows.rows().stream().filter(r -> r instanceof GridRows.Header).map(r -> ((GridRows.Header) r).label()))
                .containsExactly("March 2024", "February 2024", "December 2023", GridRows.UNDATED);
    }

    @Test
    void withoutDatesThereAreOnlyFullRows() {
        GridRows rows = GridRows.build(8, 3, null, ZoneOffset.UTC, Locale.ENGLISH);

        assertThat(rows.rows()).containsExactly(new GridRows.Photos(0, 3), new GridRows.Photos(3, 6),
                new GridRows.Photos(6, 8));
        assertThat(GridRows.build(0, 3, null, ZoneOffset.UTC, Locale.ENGLISH).rows()).isEmpty();
        assertThat(GridRows.build(0, 3, DATES::get, ZoneOffset.UTC, Locale.ENGLISH).rows()).isEmpty();
    }

    @Test
    void rowOfFindsEveryPhotosRow() {
        GridRows rows = build(3);
        for (int i = 0; i < DATES.size(); i++) {
            int row = rows.rowOf(i);
            GridRows.Photos p = (GridRows.Photos) rows.rows().get(row);
            assertThat(i).as("photo %d in row %d", i, row).isBetween(p.first(), p.end() - 1);
        }
        assertThat(rows.rowOf(8)).isEqualTo(-1);
        assertThat(rows.rowOf(-1)).isEqualTo(-1);
    }

    @Test
    void upAndDownKeepTheColumnAndSkipHeaders() {
        GridRows rows = build(3);

        assertThat(rows.verticalNeighbour(1, 1)).as("to the short second row of March").isEqualTo(4);
        assertThat(rows.verticalNeighbour(2, 1)).as("column 3 does not exist there: its last photo").isEqualTo(4);
        assertThat(rows.verticalNeighbour(4, 1)).as("over December's header").isEqualTo(5);
        assertThat(rows.verticalNeighbour(5, -1)).isEqualTo(3);
        assertThat(rows.verticalNeighbour(7, 1)).as("the bottom edge").isEqualTo(7);
        assertThat(rows.verticalNeighbour(1, -1)).as("the top edge").isEqualTo(1);
    }

    @Test
    void aHundredThousandPhotosMakeOneRowPerColumnsPhotosPlusOnePerMonth() {
        int n = 100_000;
        Instant start = Instant.parse("2025-12-31T23:00:00Z");
        GridRows rows = GridRows.build(n, 7, i -> start.minusSeconds(3_600L * i), ZoneOffset.UTC, Locale.ENGLISH);

        long headers = rows.rows().stream().filter(r -> r instanceof GridRows.Header).count();
        assertThat(headers).as("100,000 hours back from the end of 2025: 137 months").isEqualTo(137);
        int photos = rows.rows().stream().filter(r -> r instanceof GridRows.Photos)
                .mapToInt(r -> ((GridRows.Photos) r).size()).sum();
        assertThat(photos).isEqualTo(n);
        assertThat(rows.rowOf(n - 1)).isEqualTo(rows.rows().size() - 1);
    }
}
