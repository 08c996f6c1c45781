#!/bin/bash
# Synthetic "videos" from ../shared/data/albums8 for the cross-video cycle experiment (issue 12 part 4):
# one H.264 clip per album (its photos in file order, 2 per second, letterboxed to 480x360, crf 28), then the
# clip's frames decoded back to JPEG, one per photo, as a dataset the `events` protocol reads (album = clip).
# Made at eval time under OUT (default /tmp/albums8-clips); never commit the clips or frames.
# Usage: scripts/albums8-clips.sh [ALBUMS8_DIR] [OUT]
set -euo pipefail
src=${1:-../shared/data/albums8}
out=${2:-/tmp/albums8-clips}
rm -rf "$out"; mkdir -p "$out/clips" "$out/frames"
printf 'image\tgroup\talbum\n' > "$out/groundtruth.tsv"
tail -n +2 "$src/groundtruth.tsv" | cut -f2,3 | sort -u | while IFS=$'\t' read -r event album; do
  list="$out/clips/$album.txt"; : > "$list"
  tail -n +2 "$src/groundtruth.tsv" | awk -F'\t' -v a="$album" '$3==a {print $1}' | sort | while read -r img; do
    printf "file '%s'\nduration 0.5\n" "$(realpath "$src/$img")" >> "$list"
  done
  # concat demuxer: the last file is listed once more so its duration is honoured
  tail -n 2 "$list" | head -n 1 >> "$list"
  ffmpeg -nostdin -loglevel error -f concat -safe 0 -i "$list" \
    -vf "scale=480:360:force_original_aspect_ratio=decrease,pad=480:360:(ow-iw)/2:(oh-ih)/2,fps=2,format=yuv420p" \
    -c:v libx264 -crf 28 -preset veryfast "$out/clips/$album.mp4"
  mkdir -p "$out/frames/$album"
  n=$(tail -n +2 "$src/groundtruth.tsv" | awk -F'\t' -v a="$album" '$3==a' | wc -l)
  ffmpeg -nostdin -loglevel error -i "$out/clips/$album.mp4" -vf fps=2 -frames:v "$n" -q:v 3 "$out/frames/$album/f%04d.jpg"
  for f in "$out/frames/$album"/*.jpg; do
    printf 'frames/%s/%s\t%s\t%s\n' "$album" "$(basename "$f")" "$event" "$album" >> "$out/groundtruth.tsv"
  done
done
echo "$(($(wc -l < "$out/groundtruth.tsv") - 1)) frames from $(ls "$out/clips"/*.mp4 | wc -l) clips under $out"
