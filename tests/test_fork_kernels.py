"""Page kernels forked from the warm parent (mentorforms.server.fork_parent and fork_provisioner):
real kernels, started through jupyter_client with the page server's own kernel spec."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from jupyter_client.manager import AsyncKernelManager

from mentorforms.server import fork_parent, fork_provisioner
from mentorforms.server.serve import jupyter_data_dir

TIMEOUT_S = 120.0  # generous on a busy machine; every wait ends as soon as its answer arrives


def run(coroutine):
    """Run ``coroutine`` on an event loop of its own thread (Playwright's sync API, used by the
    browser tests of the same session, keeps a loop running in the test's thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def page_kernel_spec(monkeypatch, tmp_path):
    """The page server's kernel spec (the warm parent's provisioner) for kernels this test starts."""
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_data_dir()))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.delenv(fork_provisioner.ENV_KERNEL_START, raising=False)
    yield


async def start(cwd: Path | None = None, env: dict[str, str] | None = None) -> AsyncKernelManager:
    manager = AsyncKernelManager(kernel_name="python3")
    await manager.start_kernel(cwd=str(cwd) if cwd else None, env={**os.environ, **(env or {})})
    return manager


async def execute(manager: AsyncKernelManager, code: str) -> dict:
    """Run ``code`` in the kernel; the JSON it prints last, or the error reply's name."""
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=TIMEOUT_S)
        printed: list[str] = []

        def output(message: dict) -> None:
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])

        reply = await client.execute_interactive(code, timeout=TIMEOUT_S, output_hook=output)
        if reply["content"]["status"] != "ok":
            return {"error": reply["content"].get("ename")}
        return json.loads("".join(printed).strip().splitlines()[-1])
    finally:
        client.stop_channels()


def pid_of(manager: AsyncKernelManager) -> int:
    return manager.provisioner.pid  # type: ignore[union-attr]


def gone(pid: int, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


PROBE = textwrap.dedent("""
    import json, os, random, sys
    print(json.dumps({"pid": os.getpid(), "cwd": os.getcwd(), "probe": os.environ.get("MF_PROBE"),
                      "random": random.random(),
                      "loaded": sorted(m for m in ("voila", "jupyter_server", "jsonschema", "pandas", "matplotlib")
                                       if m in sys.modules)}))
""")


def test_a_kernel_is_forked_from_the_warm_parent_in_the_folder_and_environment_asked(page_kernel_spec, tmp_path):
    async def scenario():
        first = await start(cwd=tmp_path, env={"MF_PROBE": "first"})
        second = await start(cwd=tmp_path, env={"MF_PROBE": "second"})
        try:
            return pid_of(first), await execute(first, PROBE), await execute(second, PROBE)
        finally:
            await first.shutdown_kernel(now=True)
            await second.shutdown_kernel(now=True)

    pid, first, second = run(scenario())
    assert first["pid"] == pid
    assert first["cwd"] == str(tmp_path)
    assert (first["probe"], second["probe"]) == ("first", "second")
    assert first["random"] != second["random"], "each child must reseed its random state"
    assert first["loaded"] == [] == second["loaded"]


def test_forked_kernels_are_children_of_the_parent_each_in_its_own_process_group(page_kernel_spec):
    async def scenario():
        manager = await start()
        try:
            pid = pid_of(manager)
            process = psutil.Process(pid)
            return pid, process.name(), process.parent().name(), os.getpgid(pid)
        finally:
            await manager.shutdown_kernel(now=True)

    pid, name, parent, group = run(scenario())
    assert name == fork_parent.KERNEL_NAME
    assert parent == fork_parent.PARENT_NAME[:15]
    assert group == pid


def test_interrupt_restart_and_shutdown_work_as_for_any_kernel(page_kernel_spec):
    async def scenario():
        manager = await start()
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=TIMEOUT_S)
        asked = client.execute("import time; time.sleep(600)")
        await asyncio.sleep(1.0)
        await manager.interrupt_kernel()
        while True:
            reply = await client.get_shell_msg(timeout=TIMEOUT_S)
            if reply["parent_header"].get("msg_id") == asked:
                break
        client.stop_channels()
        before = pid_of(manager)
        await manager.restart_kernel(now=True)
        after = pid_of(manager)
        answer = await execute(manager, "import json, os; print(json.dumps({'pid': os.getpid()}))")
        connection_file = manager.connection_file
        await manager.shutdown_kernel()
        return reply["content"], before, after, answer, connection_file

    interrupted, before, after, answer, connection_file = run(scenario())
    assert interrupted["status"] == "error" and interrupted["ename"] == "KeyboardInterrupt"
    assert before != after and answer["pid"] == after
    assert gone(before) and gone(after)
    assert not Path(connection_file).exists()


def test_a_kernel_killed_takes_its_subprocesses_with_it(page_kernel_spec, tmp_path):
    async def scenario():
        manager = await start()
        child = await execute(manager, "import json, subprocess; p = subprocess.Popen(['sleep', '600']); "
                                       "print(json.dumps({'pid': p.pid}))")
        kernel = pid_of(manager)
        await manager.shutdown_kernel(now=True)
        return kernel, child["pid"]

    kernel, sleeper = run(scenario())
    assert gone(kernel)
    assert gone(sleeper), "the kernel's own subprocess outlived it: no process group of its own?"


def test_when_the_parent_dies_open_pages_keep_working_and_it_is_started_again(page_kernel_spec, caplog):
    caplog.set_level(logging.WARNING)

    async def scenario():
        open_page = await start()
        parent = fork_provisioner.warm_parent()
        old_parent = parent.process.pid
        os.kill(old_parent, signal.SIGKILL)
        parent.process.wait(timeout=30)
        meanwhile = await start()  # the ordinary way, while the parent starts again
        still = await execute(open_page, "import json, os; print(json.dumps({'pid': os.getpid()}))")
        afterwards = await start()
        results = (old_parent, pid_of(open_page), still, meanwhile.provisioner.process,
                   psutil.Process(pid_of(afterwards)).ppid(), parent.process.pid)
        for manager in (open_page, meanwhile, afterwards):
            await manager.shutdown_kernel(now=True)
        return results

    old_parent, open_pid, still, ordinary, forked_from, new_parent = run(scenario())
    assert still["pid"] == open_pid, "a page whose kernel came from the dead parent must keep working"
    assert isinstance(ordinary, subprocess.Popen), "with no parent, a kernel starts the ordinary way"
    assert "ipykernel_launcher" in " ".join(ordinary.args)
    assert any("kernel parent ended" in record.getMessage() for record in caplog.records)
    assert new_parent != old_parent
    assert forked_from == new_parent, "once started again, the parent forks the next kernel"


def test_forked_kernels_end_with_the_server_that_started_them(tmp_path):
    script = textwrap.dedent(f"""
        import asyncio, os, sys
        os.environ["JUPYTER_PATH"] = {str(jupyter_data_dir())!r}
        os.environ["JUPYTER_RUNTIME_DIR"] = {str(tmp_path)!r}
        from jupyter_client.manager import AsyncKernelManager
        async def main():
            manager = AsyncKernelManager(kernel_name="python3")
            await manager.start_kernel()
            print(manager.provisioner.pid, flush=True)
            await asyncio.sleep(600)
        asyncio.run(main())
    """)
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        kernel = int(server.stdout.readline())
        assert psutil.Process(kernel).name() == fork_parent.KERNEL_NAME
        parent = psutil.Process(kernel).ppid()
    finally:
        server.kill()
        server.wait()
    assert gone(kernel), "a kernel outlived the server that started it"
    assert gone(parent), "the warm parent outlived the server that started it"


def test_the_parent_refuses_to_fork_once_a_thread_runs():
    code = ("import threading, time\n"
            "from mentorforms.server.fork_parent import fork_is_safe\n"
            "print(fork_is_safe())\n"
            "threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
            "print(fork_is_safe())\n")
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           timeout=TIMEOUT_S).stdout.splitlines()
    assert lines[0] == "None"
    assert "threads are running" in lines[1]


def test_plain_starts_are_kept_when_asked(page_kernel_spec, monkeypatch):
    monkeypatch.setenv(fork_provisioner.ENV_KERNEL_START, "plain")

    async def scenario():
        manager = await start()
        try:
            return manager.provisioner.process
        finally:
            await manager.shutdown_kernel(now=True)

    process = run(scenario())
    assert isinstance(process, subprocess.Popen) and "ipykernel_launcher" in " ".join(process.args)


@pytest.mark.parametrize("kernel_start", ["fork", "plain"])
def test_a_page_kernel_keeps_no_history_of_what_it_ran(page_kernel_spec, monkeypatch, tmp_path, kernel_start):
    """What a page's cells ran is not written to an IPython history database: nothing to keep, and a
    database another process moved or made read-only printed a traceback into the server log as the
    kernel ended."""
    if kernel_start == "plain":
        monkeypatch.setenv(fork_provisioner.ENV_KERNEL_START, "plain")
    ipython_dir = tmp_path / "ipython"

    async def scenario():
        manager = await start(env={"IPYTHONDIR": str(ipython_dir)})
        try:
            return await execute(manager, "import json; print(json.dumps({'history': "
                                          "get_ipython().history_manager.enabled, "
                                          "'folder': get_ipython().ipython_dir}))")
        finally:
            await manager.shutdown_kernel()

    answer = run(scenario())
    assert answer == {"history": False, "folder": str(ipython_dir)}
    assert not list(ipython_dir.rglob("history.sqlite*"))


def test_a_kernel_is_watched_even_when_the_server_holds_over_1024_files():
    """A busy page server holds well over 1,024 files; a kernel's pidfd then has a number select()
    refuses (every visitor's websocket answered 500 at 120 visits a minute)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this system allows only {hard} open files")
    if soft != resource.RLIM_INFINITY and soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        kernel = fork_provisioner.ForkedKernel(sleeper.pid)
        assert kernel._fd is not None and kernel._fd > 1024
        assert kernel.poll() is None
        sleeper.kill()
        sleeper.wait()
        assert kernel.wait(timeout=TIMEOUT_S) == 0
    finally:
        sleeper.kill()
        for descriptor in held:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_page_server_raises_its_open_file_limit_as_far_as_the_system_allows():
    """1,024 open files, the default of many systems, stop a page server at about 30 open pages."""
    script = textwrap.dedent("""
        import resource
        from mentorforms.server.open_files import raise_open_file_limit
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        print(raise_open_file_limit(enough=4096), resource.getrlimit(resource.RLIMIT_NOFILE)[0], hard)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    said, now, hard = (int(part) for part in done.stdout.split())
    expected = 4096 if hard == -1 else min(hard, 4096)
    assert said == now == expected
