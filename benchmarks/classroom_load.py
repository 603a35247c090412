#!/usr/bin/python3
"""A classroom against one GanLab server: N students each start a run while lesson pages are timed.

Stdlib only. Each simulated student has its own cookie jar (its own browser id), opens the course, and starts
a run through the load-test hook (POST /load-test/runs, on only with --GanLab:LoadTestHooks=true), which
goes through the same TrainingService.CreateRun, scheduler, per-browser cap and recorder as the Train button,
left to finish. Some students leave early (DELETE, as closing the page does). Meanwhile a prober fetches the
lesson page over and over (the server renders it, trainer panel included) and /healthz samples memory.

With --toy-seconds S each student also plays the lesson's toy (toy-2d on the ring of 8, through
POST /load-test/toys, the same CreateToyRun, scheduler and recorder as its Play button) for S seconds, then
closes the page.

Report: lesson page latency (p50/p95/max) before and during the load, peak working set, live tensors,
runs (and toys) by final status (every run must end in a known state), total images/s.

  ./ganlab build
  python3 benchmarks/classroom_load.py --launch                      # 30 students, server started here
  python3 benchmarks/classroom_load.py --url http://127.0.0.1:5000   # against a server you started
  python3 benchmarks/classroom_load.py --launch --measure-concurrency 1,2,3 --students 6

--measure-concurrency starts a fresh server per slot count (GanLab:MaxConcurrentRuns) and reports total
images/s for the same runs: how the default of GanLabWebOptions.DefaultConcurrentRunsCpu was chosen.
"""
import argparse
import http.cookiejar
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "src/GanLab.Web/bin/Release/net9.0/linux-x64/GanLab.Web")
FINAL = {"finished", "failed", "cancelled", "interrupted"}


class Student:
    """One browser: its own cookies, so its own browser id."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.run_id = None
        self.refused = None

    def request(self, method, path, timeout=60):
        req = urllib.request.Request(self.base + path, method=method)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[k]


def mb(value):
    return None if value is None else round(value / 2**20)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(slots, quantum, toy_slots=None):
    """Starts the built server on a free port with the hook on and a throwaway data folder."""
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} is missing: run ./ganlab build first")
    port = free_port()
    data = tempfile.mkdtemp(prefix="ganlab-load-")
    args = [BINARY, "--urls", f"http://127.0.0.1:{port}", "--GanLab:LoadTestHooks=true",
            f"--GanLab:DataFolder={data}", f"--GanLab:QuantumSeconds={quantum}", "--GanLab:MaxRunsPerBrowser=3",
            "--GanLab:PretrainOnStart=false"]  # pretraining would take the slot the measurement is about
    if toy_slots is not None:
        args.append(f"--GanLab:ToySlots={toy_slots}")
    if slots:
        args.append(f"--GanLab:MaxConcurrentRuns={slots}")
        args.append(f"--GanLab:MaxLiveRuns={max(8, slots)}")
    # As ./ganlab serve starts it: with two malloc arenas (see GanLabHosting.MallocArenas).
    env = dict(os.environ, GANLAB_ROOT=ROOT)
    env.setdefault("MALLOC_ARENA_MAX", "2")
    log = open(os.path.join(data, "server.log"), "w")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode}; see {data}/server.log")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    else:
        process.kill()
        sys.exit(f"the server did not answer /healthz in 90 s; see {data}/server.log")
    # The datasets warm up in the background; wait for mnist so the first runs do not time its loading.
    time.sleep(3)
    return process, base, data


def health(base):
    with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
        return json.loads(r.read())


def spread(values):
    """[min, median, max] of the values that exist (a toy with fewer than two frames has no stand-still)."""
    known = sorted(v for v in values if v is not None)
    return [known[0], round(statistics.median(known), 1), known[-1]] if known else None


def classroom(base, students, steps, batch, leave_fraction, lesson, deadline_s, probe_period, toy_seconds=0, dataset="mnist"):
    latencies_idle, latencies_load, samples = [], [], []
    stop = threading.Event()
    prober = Student(base)
    prober.request("GET", "/")

    def probe(into):
        t0 = time.perf_counter()
        status, _ = prober.request("GET", lesson)
        elapsed = time.perf_counter() - t0
        if status != 200:
            raise SystemExit(f"GET {lesson} answered {status}")
        into.append(elapsed)

    for _ in range(20):
        probe(latencies_idle)

    def probe_loop():
        while not stop.is_set():
            probe(latencies_load)
            stop.wait(probe_period)

    def health_loop():
        while not stop.is_set():
            try:
                samples.append(health(base))
            except (urllib.error.URLError, TimeoutError):
                pass
            stop.wait(1.0)

    threads = [threading.Thread(target=probe_loop, daemon=True), threading.Thread(target=health_loop, daemon=True)]
    for t in threads:
        t.start()

    people = [Student(base) for _ in range(students)]

    def start(i, s):
        s.request("GET", lesson)  # the student opens the lesson (and gets a browser id)
        status, body = s.request("POST", f"/load-test/runs?maxSteps={steps}&batchSize={batch}&seed={i + 1}&dataset={dataset}")
        if status == 201:
            s.run_id = json.loads(body)["id"]
        else:
            s.refused = f"{status}: {body.decode(errors='replace')}"
        if toy_seconds > 0:  # the lesson's toy too, played for a while, then the page closes
            status, body = s.request("POST", f"/load-test/toys?distribution=ring-8&seconds={toy_seconds}&seed={i + 1}")
            if status == 201:
                s.toy_id = json.loads(body)["id"]
            else:
                s.toy_refused = f"{status}: {body.decode(errors='replace')}"

    t_start = time.perf_counter()
    starters = [threading.Thread(target=start, args=(i, s)) for i, s in enumerate(people)]
    for t in starters:
        t.start()
    for t in starters:
        t.join()

    # Some students leave before their run ends: every fifth one, a few seconds in.
    leavers = [s for i, s in enumerate(people) if s.run_id and leave_fraction > 0 and i % round(1 / leave_fraction) == 0]
    time.sleep(3)
    for s in leavers:
        s.request("DELETE", f"/load-test/runs/{s.run_id}")

    statuses, toys = {}, {}
    while time.perf_counter() - t_start < deadline_s:
        statuses, toys = {}, {}
        for s in people:
            if s.run_id:
                _, body = s.request("GET", f"/load-test/runs/{s.run_id}")
                statuses[s.run_id] = json.loads(body)
            if getattr(s, "toy_id", None):
                _, body = s.request("GET", f"/load-test/toys/{s.toy_id}")
                toy = json.loads(body)
                toys[s.toy_id] = dict(toy, **toy.get("seen", {}))
        if all(v["status"] in FINAL for v in list(statuses.values()) + list(toys.values())):
            break
        time.sleep(1)
    wall = time.perf_counter() - t_start
    stop.set()
    for t in threads:
        t.join()
    # Models are freed on a worker thread after their run ends: give that a moment, then read memory once more.
    time.sleep(5)
    samples.append(health(base))

    steps_done = sum(v["step"] for v in statuses.values())
    toy_steps = sorted(v["step"] for v in toys.values())
    return {
        "students": students,
        "runs started": sum(1 for s in people if s.run_id),
        "refused": [s.refused for s in people if s.refused],
        "final statuses": {k: sum(1 for v in statuses.values() if v["status"] == k) for k in sorted({v["status"] for v in statuses.values()})},
        "all runs in a known final state": bool(statuses) and all(v["status"] in FINAL for v in list(statuses.values()) + list(toys.values())),
        "toys started": len(toys),
        "toys refused": [s.toy_refused for s in people if getattr(s, "toy_refused", None)],
        "toy final statuses": {k: sum(1 for v in toys.values() if v["status"] == k) for k in sorted({v["status"] for v in toys.values()})},
        "toy steps": sum(v["step"] for v in toys.values()),
        # What a student watching the toy saw: how far each toy got in its seconds (a frozen toy is 0).
        "toy steps per toy (min/median/max)": [min(toy_steps, default=0), round(statistics.median(toy_steps), 1) if toy_steps else 0,
                                               max(toy_steps, default=0)],
        "toys that never stepped": sum(1 for n in toy_steps if n == 0),
        # How it looked: how long the picture stood still between turns (each toy's median wait, and its longest), and how
        # long after Play the first frame came.
        "toy typical stand-still ms (min/median/max)": spread(v.get("typicalStillMs") for v in toys.values()),
        "toy longest stand-still ms (min/median/max)": spread(v.get("longestStillMs") for v in toys.values()),
        "toy first frame ms (min/median/max)": spread(v.get("firstFrameMs") for v in toys.values()),
        # Re-renders a toy's page was asked for besides its frames, per toy over its seconds, against the moves of its
        # place in line (each was one when the page showed the place); and the rhythm the student was last told.
        "toy page updates besides frames (min/median/max)": spread(v.get("pageUpdates") for v in toys.values()),
        "toy place-in-line moves (min/median/max)": spread(v.get("placeMoves") for v in toys.values()),
        "toy turn rhythm shown s (min/median/max)": spread(v.get("shownEverySeconds") for v in toys.values()),
        "wall s": round(wall, 1),
        "total steps": steps_done,
        "total images/s": round(steps_done * batch / wall, 1),
        "lesson latency idle ms (p50/p95/max)": [round(1000 * percentile(latencies_idle, p), 1) for p in (50, 95, 100)],
        "lesson latency under load ms (p50/p95/max)": [round(1000 * percentile(latencies_load, p), 1) for p in (50, 95, 100)],
        "lesson requests under load": len(latencies_load),
        "peak working set MB": round(max((h["workingSetBytes"] for h in samples), default=0) / 2**20),
        "working set at end MB": round(samples[-1]["workingSetBytes"] / 2**20) if samples else None,
        "peak models in memory": max((h["liveRuns"] for h in samples), default=0),
        "peak queued": max((h["queued"] for h in samples), default=0),
        "live tensors at end": samples[-1]["liveTensors"] if samples else None,
        # What the working set at the end is made of: the .NET heap and the C heap (in use / held free by malloc).
        "managed heap at end MB": mb(samples[-1].get("managedHeapBytes")) if samples else None,
        "C heap in use at end MB": mb(samples[-1].get("nativeInUseBytes")) if samples else None,
        "C heap free at end MB": mb(samples[-1].get("nativeFreeBytes")) if samples else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (started with --GanLab:LoadTestHooks=true)")
    parser.add_argument("--launch", action="store_true", help="start the built server here with the hook on")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--steps", type=int, default=300, help="each run's MaxSteps")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--dataset", default="mnist", help="the runs' dataset (fashion-mnist: 60,000 training images, each run's real images)")
    parser.add_argument("--leave-fraction", type=float, default=0.2, help="share of students who leave before their run ends")
    parser.add_argument("--lesson", default="/lessons/what-is-a-gan")
    parser.add_argument("--quantum", type=int, default=10, help="GanLab:QuantumSeconds for a launched server")
    parser.add_argument("--deadline", type=float, default=1800, help="seconds to wait for every run to end")
    parser.add_argument("--probe-period", type=float, default=0.5, help="seconds between lesson page requests")
    parser.add_argument("--toy-seconds", type=float, default=0,
                        help="each student also plays a toy-2d for this long, then closes its page (0: no toys)")
    parser.add_argument("--toy-slots", type=int, help="GanLab:ToySlots for a launched server (default: the server's)")
    parser.add_argument("--measure-concurrency", help="comma-separated slot counts, e.g. 1,2,3 (implies --launch)")
    args = parser.parse_args()

    if args.measure_concurrency:
        results = {}
        for slots in [int(s) for s in args.measure_concurrency.split(",")]:
            process, base, data = launch(slots, args.quantum)
            try:
                r = classroom(base, args.students, args.steps, args.batch, 0, args.lesson, args.deadline, args.probe_period)
                results[slots] = r
                print(f"slots {slots}: {r['total images/s']} images/s over {r['wall s']} s, "
                      f"lesson p95 {r['lesson latency under load ms (p50/p95/max)'][1]} ms, {r['final statuses']}", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=60)
                shutil.rmtree(data, ignore_errors=True)
        print(json.dumps(results, indent=2))
        return

    if args.launch:
        process, base, data = launch(None, args.quantum, args.toy_slots)
    elif args.url:
        process, base, data = None, args.url.rstrip("/"), None
    else:
        parser.error("give --url or --launch")
    try:
        print(json.dumps({"server": health(base)}, indent=2), flush=True)
        result = classroom(base, args.students, args.steps, args.batch, args.leave_fraction, args.lesson, args.deadline, args.probe_period,
                           args.toy_seconds, args.dataset)
        print(json.dumps(result, indent=2))
        if not result["all runs in a known final state"]:
            sys.exit("some runs did not end in a known state")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=60)
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
