"""Batch ingest, streaming large inputs, tables in and out, distributed engines."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import pipeline
from paths import ROOT
from pipeline.cli import main
from pipeline.io.frames import read_frame, write_frame

SAMPLES = ROOT / "samples"


@pytest.fixture
def mixed_dir(tmp_path):
    """Good decks, an empty file, a binary file and a notes file, side by side."""
    d = tmp_path / "in"
    d.mkdir()
    for f in SAMPLES.glob("*.txt"):
        shutil.copy(f, d)
    (d / "empty.txt").write_bytes(b"")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    shutil.copy(SAMPLES / "notes" / "talk_transformers_ko.notes.md", d)
    return d


def test_batch_survives_a_mixed_folder_and_resumes(mixed_dir, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["batch", str(mixed_dir), "-o", str(out), "--notes", str(SAMPLES / "notes"),
                                    "--jobs", "2", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "decks cleaned" in res.stderr and "failures" in res.stderr
    assert sorted(p.name for p in out.glob("*.jsonl") if p.name != "batch.errors.jsonl") == [
        "talk_speech_vision_ko.jsonl", "talk_transformers_ko.jsonl", "talk_transformers_ko.notes.jsonl"]
    errors = [json.loads(x) for x in (out / "batch.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(e["deck"] for e in errors) == ["empty.txt", "image.png"]
    recs = [json.loads(x) for x in (out / "talk_transformers_ko.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 36 and sum(1 for r in recs if r["alignment"]) >= 25
    again = CliRunner().invoke(main, ["batch", str(mixed_dir), "-o", str(out), "--no-progress"])
    assert re.search(r"decks skipped \(already complete\)\s+3\n", again.stderr)
    forced = CliRunner().invoke(main, ["batch", str(mixed_dir), "-o", str(out), "--force", "--jobs", "1",
                                       "--no-progress"])
    assert re.search(r"decks cleaned\s+3\n", forced.stderr)


def test_batch_into_one_jsonl_with_globs(tmp_path):
    out = tmp_path / "all.jsonl"
    res = CliRunner().invoke(main, ["batch", str(SAMPLES / "*.txt"), "-o", str(out), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    decks = [json.loads(x)["deck"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(set(decks)) == ["talk_speech_vision_ko.txt", "talk_transformers_ko.txt"] and len(decks) == 73
    again = CliRunner().invoke(main, ["batch", str(SAMPLES / "*.txt"), "-o", str(out), "--no-progress"])
    assert re.search(r"decks skipped \(already complete\)\s+2\n", again.stderr)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 73


def test_batch_with_no_matching_input_is_an_error(tmp_path):
    res = CliRunner().invoke(main, ["batch", str(tmp_path / "nothing*.txt"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no input file" in res.output


def test_chunked_input_gives_the_same_records_and_summary(tmp_path, monkeypatch):
    """Every input is read and cleaned in chunks; records and summary keys do not depend on it."""
    import pipeline.io.source as source
    import pipeline.io.stream as stream

    deck = SAMPLES / "talk_transformers_ko.txt"
    whole, chunked = tmp_path / "whole.jsonl", tmp_path / "chunked.jsonl"
    first = CliRunner().invoke(main, [str(deck), "-o", str(whole), "--summary"])
    assert first.exit_code == 0
    monkeypatch.setattr(source, "BLOCK_BYTES", 7)  # a block boundary inside every line and character
    monkeypatch.setattr(stream, "CHUNK_SLIDES", 100)
    res = CliRunner().invoke(main, [str(deck), "-o", str(chunked), "--summary"])
    assert res.exit_code == 0, res.output
    assert chunked.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8")
    assert json.loads(res.stderr.strip().splitlines()[-1]) == json.loads(first.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("fmt", ["player", "plain"])
def test_streaming_readers_match_the_whole_file_readers(fmt, tmp_path):
    from pipeline.read.transcript import read_deck
    from pipeline.io.stream import iter_slides

    text = (SAMPLES / "talk_speech_vision_ko.txt").read_text(encoding="utf-8")
    if fmt == "plain":
        text = "\f".join(s.raw for s in read_deck(text).slides)
    whole = [(s.number, s.raw) for s in read_deck(text, fmt=fmt).slides]
    assert [(s.number, s.raw) for s in iter_slides(text.splitlines(True), fmt, "d")] == whole


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_frames_round_trip(tmp_path, suffix):
    deck = pipeline.read_deck((SAMPLES / "talk_transformers_ko.txt").read_text(encoding="utf-8"), "t.txt")
    df = pd.DataFrame({"deck": "t.txt", "slide": [s.number for s in deck.slides], "text": [s.raw for s in deck.slides]})
    path = tmp_path / f"slides{suffix}"
    write_frame(df, path)
    cleaned = pipeline.clean_frame(read_frame(path))
    out = tmp_path / f"clean{suffix}"
    write_frame(cleaned, out)
    back = read_frame(out)
    assert back["text"].tolist() == cleaned["text"].tolist()
    assert back["repairs"].iloc[4] == cleaned["repairs"].iloc[4] and back["repairs"].iloc[4]


def test_dask_on_a_local_cluster_with_two_worker_processes():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from pipeline.io.distributed import clean_dask_bag, clean_dask_frame

    rows = []
    for f in sorted(SAMPLES.glob("*.txt")):
        for s in pipeline.read_deck(f.read_text(encoding="utf-8"), f.name).slides:
            rows.append({"deck": f.name, "slide": s.number, "text": s.raw})
    df = pd.DataFrame(rows)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(df, npartitions=2, sort=False)
        got = clean_dask_frame(ddf).compute()
        bag = __import__("dask.bag", fromlist=["from_sequence"]).from_sequence(df["text"].tolist()[:6], npartitions=2)
        texts = [r["text"] for r in clean_dask_bag(bag).compute()]
        assert len(client.scheduler_info()["workers"]) == 2
    local = pipeline.clean_frame(df)
    assert got.sort_index()["text"].tolist() == local["text"].tolist()
    assert texts == [pipeline.clean_text(t)["text"] for t in df["text"].tolist()[:6]]


def test_spark_recipe():
    pyspark = pytest.importorskip("pyspark")  # noqa: F841 - the recipe in the README, run when Spark is there
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    sdf = spark.createDataFrame(pd.DataFrame({"deck": ["d"], "slide": [1], "text": ["\u04e3\u0ab3\u08bf"]}))
    schema = "deck string, slide long, text string, raw string, repairs string, quarantine string, papers string, alignment string"

    def clean(batches):
        for pdf in batches:
            out = pipeline.clean_frame(pdf)
            for col in ("repairs", "quarantine", "papers", "alignment"):
                out[col] = out[col].map(json.dumps)
            yield out

    assert sdf.mapInPandas(clean, schema).toPandas()["text"].tolist() == ["김준성"]


def test_ray_recipe():
    ray = pytest.importorskip("ray")
    ds = ray.data.from_pandas(pd.DataFrame({"deck": ["d"], "slide": [1], "text": ["\u04e3\u0ab3\u08bf"]}))
    out = ds.map_batches(pipeline.clean_frame, batch_format="pandas").to_pandas()
    assert out["text"].tolist() == ["김준성"]
