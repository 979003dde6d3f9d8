#!/usr/bin/python3
"""Run a program under the seccomp filter a systemd unit's SystemCallFilter= lines would give it.

For hosts where systemd is not PID 1 (containers, CI): the test suite (SystemdUnitTests) and an
engineer reproducing a SIGSYS by hand use it instead of `systemd-run -p SystemCallFilter=...`.

    scripts/seccomp-exec.py --unit deploy/systemd/vigil.service -- vigil serve --config vigil.yaml
    scripts/seccomp-exec.py --filter @system-service --filter '~@privileged @resources' -- vigil serve ...
    scripts/seccomp-exec.py --unit deploy/systemd/vigil.service --print     # the allowed syscalls
    scripts/seccomp-exec.py --unit ... --user nobody -- ...                  # as User=, when run as root

Semantics are systemd's (load-fragment.c, config_parse_syscall_filter): the first assignment decides
the mode; an allow list starts from @default; in an allow list a `~` line removes its calls and a
plain line adds them; in a deny list the reverse; an empty assignment resets. Groups are expanded
with `systemd-analyze syscall-filter GROUP`, so they are the groups of the systemd installed here.
Calls outside the filter kill the whole process with SIGSYS, as systemd's default action does
(SystemCallErrorNumber= unset); only the native architecture is allowed (SystemCallArchitectures=native).
With --unit, the unit's MemoryDenyWriteExecute= and RestrictAddressFamilies= apply too, as systemd's
second filter does (EPERM for writable+executable memory, EAFNOSUPPORT for other socket families).

Needs the Debian package python3-seccomp (libseccomp's bindings), hence /usr/bin/python3.
"""
import argparse
import errno
import mmap
import os
import pwd
import socket
import subprocess
import sys

import seccomp

_groups = {}


def expand(name):
    """The syscall names in a group (recursively) or the single name given."""
    if not name.startswith("@"):
        return {name}
    if name not in _groups:
        out = subprocess.run(["systemd-analyze", "syscall-filter", name], check=True,
                             capture_output=True, text=True).stdout
        names = set()
        for line in out.splitlines():
            # The group's own name is the unindented first line; members are indented.
            if not line.startswith((" ", "\t")):
                continue
            item = line.strip()
            if not item or item.startswith("#"):
                continue
            names |= expand(item)
        if not names:
            sys.exit(f"seccomp-exec: systemd-analyze knows no syscall group {name}")
        _groups[name] = names
    return _groups[name]


def resolve(assignments):
    """(allow_list, names) for a sequence of SystemCallFilter= values."""
    allow_list, names = None, set()
    for value in assignments:
        value = value.strip()
        if not value:
            allow_list, names = None, set()
            continue
        invert = value.startswith("~")
        if invert:
            value = value[1:]
        if allow_list is None:
            allow_list = not invert
            if allow_list:
                names |= expand("@default")
        for word in value.split():
            calls = expand(word)
            if invert != allow_list:   # allow list and plain, or deny list and `~`: add
                names |= calls
            else:
                names -= calls
    return allow_list, names


def unit_settings(path):
    """The [Service] settings of a unit file: name -> values, in order."""
    values, section = {}, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line
                continue
            key, sep, value = line.partition("=")
            if section == "[Service]" and sep:
                values.setdefault(key.strip(), []).append(value.strip())
    return values


def yes(values):
    return bool(values) and values[-1].lower() in ("yes", "true", "on", "1")


def hardening_filter(memory_deny_write_execute, address_families):
    """The second filter systemd stacks for MemoryDenyWriteExecute= and RestrictAddressFamilies=
    (seccomp-util.c): the calls fail with an errno rather than kill."""
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    if memory_deny_write_execute:
        wx = mmap.PROT_WRITE | mmap.PROT_EXEC
        f.add_rule(seccomp.ERRNO(errno.EPERM), "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, wx, wx))
        for name in ("mprotect", "pkey_mprotect"):
            f.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(2, seccomp.MASKED_EQ, mmap.PROT_EXEC, mmap.PROT_EXEC))
        shm_exec = 0o100000
        f.add_rule(seccomp.ERRNO(errno.EPERM), "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, shm_exec, shm_exec))
    if address_families is not None:
        af_max = 46
        for family in range(af_max):
            if family not in address_families:
                f.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))
        f.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.GE, af_max))
    return f


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--unit", help="read SystemCallFilter= from this unit file")
    p.add_argument("--filter", action="append", default=[], help="a SystemCallFilter= value (repeatable)")
    p.add_argument("--user", help="run as this user and its group, as User=/Group= do (needs root)")
    p.add_argument("--print", action="store_true", help="print the resolved syscall list and exit")
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()
    settings = unit_settings(a.unit) if a.unit else {}
    if "SystemCallErrorNumber" in settings:
        sys.exit("seccomp-exec: SystemCallErrorNumber= is not emulated; calls outside the filter would kill")
    assignments = settings.get("SystemCallFilter", []) + a.filter
    if not assignments:
        p.error("no SystemCallFilter= given (--unit or --filter)")
    allow_list, names = resolve(assignments)
    if a.print:
        print(("allow" if allow_list else "deny") + ": " + " ".join(sorted(names)))
        return 0
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not command:
        p.error("no command to run")

    if a.user:
        # systemd changes identity before it loads the filter; so do we. The identity matters: run as
        # root, SQLite fchown()s the files it creates, a call the daemon never makes as User=vigil.
        entry = pwd.getpwnam(a.user)
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    # The unit's seccomp-based limits on memory and sockets, loaded first: the syscall filter denies
    # seccomp() itself. (RestrictNamespaces=, LockPersonality=, RestrictRealtime= are not emulated.)
    families = settings.get("RestrictAddressFamilies")
    if yes(settings.get("MemoryDenyWriteExecute")) or families:
        allowed = None
        if families:
            family_names = families[-1].split()
            if family_names[0].startswith("~"):
                sys.exit("seccomp-exec: a ~ RestrictAddressFamilies= deny list is not emulated")
            allowed = {getattr(socket, n) for n in family_names}
        hardening_filter(yes(settings.get("MemoryDenyWriteExecute")), allowed).load()

    kill = seccomp.KILL_PROCESS
    f = seccomp.SyscallFilter(defaction=kill if allow_list else seccomp.ALLOW)
    for name in sorted(names):
        try:
            f.add_rule(seccomp.ALLOW if allow_list else kill, name)
        except (RuntimeError, ValueError, OSError):
            pass  # a call this architecture or libseccomp does not have (systemd skips them too)
    f.load()
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
