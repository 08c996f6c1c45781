package io.ocular.ui.main;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

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

    /**
     * The month of each photo is converted only when it leaves the previous photo's month: equal to grouping by
     * {@code YearMonth.from(date.atZone(zone))} photo by photo (the plain reference), across zones with daylight
     * saving, unknown dates, ties at month boundaries, sub-millisecond instants and photos out of order.
     */
    @Test
    void monthsEqualThePlainPerPhotoConversion() {
        Random r = new Random(9);
        for (String zoneName : List.of("UTC", "Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe")) {
            ZoneId zone = ZoneId.of(zoneName);
            List<Instant> dates = new ArrayList<>();
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < 5_000; i++) {
                int kind = r.nextInt(20);
                if (kind == 0) {
                    dates.add(Instant.EPOCH);
                } else if (kind == 1) {
                    dates.add(null);
                } else if (kind == 2) { // exactly at a month start in the zone, or a nanosecond before it
                    ZonedDateTime z = t.atZone(zone).withDayOfMonth(1).toLocalDate().atStartOfDay(zone);
                    dates.add(r.nextBoolean() ? z.toInstant() : z.toInstant().minusNanos(1));
                } else if (kind == 3) {
                    dates.add(t.plusSeconds(r.nextInt(86_400 * 90))); // out of order
                } else {
                    t = t.minusSeconds(r.nextInt(86_400 * 3)).minusNanos(r.nextInt(1_000_000));
                    dates.add(t);
                }
            }
            GridRows rows = GridRows.build(dates.size(), 4, dates::get, zone, Locale.ENGLISH);
            List<int[]> headers = rows.rows().stream().filter(x -> x instanceof GridRows.Header)
                    .map(x -> new int[]{x.first(), ((GridRows.Header) x).count()}).toList();
            List<int[]> expected = new ArrayList<>();
            YearMonth month = null;
            for (int i = 0; i < dates.size(); i++) {
                Instant d = dates.get(i);
                YearMonth m = d == null || d.toEpochMilli() == 0 ? YearMonth.of(-999_999_999, 1)
                        : YearMonth.from(d.atZone(zone));
                if (i == 0 || !m.equals(month)) {
                    expected.add(new int[]{i, 0});
                    month = m;
                }
                expected.get(expected.size() - 1)[1]++;
            }
            assertThat(headers).as(zoneName).usingElementComparator((a, b) -> Arrays.compare(a, b))
                    .containsExactlyElementsOf(expected);
        }
    }
}
