#!/usr/bin/env python3
"""Records which statements psql really sends for each *.sql file here: the independent oracle
that SqlSplitterRegressionTest compares the splitter with.

It starts a throwaway PostgreSQL with log_statement=all and csvlog, runs `psql -f FILE` (psql
carries on after errors), and reads from the server log every statement text that arrived:
'statement: …' lines, plus the query of an ERROR that arrived without one (a syntax error
is reported before log_statement can log it). Each statement is written normalised, one per
line, to FILE.oracle: leading comments dropped, a trailing semicolon dropped, whitespace runs
collapsed to one space. Run as root on a machine with PostgreSQL 15 binaries:
    python3 oracle.py
"""
import csv, glob, os, re, shutil, subprocess, sys, tempfile, time

BIN = "/usr/lib/postgresql/15/bin"


def normalise(sql):
    s = sql
    while True:
        s = s.lstrip()
        if s.startswith("--"):
            nl = s.find("\n")
            s = "" if nl < 0 else s[nl + 1:]
        elif s.startswith("/*"):
            depth, i = 0, 0
            while i < len(s):
                if s.startswith("/*", i):
                    depth += 1; i += 2
                elif s.startswith("*/", i):
                    depth -= 1; i += 2
                    if depth == 0:
                        break
                else:
                    i += 1
            s = s[i:]
        else:
            break
    s = s.rstrip()
    if s.endswith(";"):
        s = s[:-1]
    return re.sub(r"\s+", " ", s).strip()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    work = tempfile.mkdtemp()
    os.chmod(work, 0o777)
    data, logdir, port = os.path.join(work, "data"), os.path.join(work, "log"), "54329"
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_pg + [BIN + "/initdb", "-D", data, "-A", "trust", "-U", "postgres"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(as_pg + [BIN + "/pg_ctl", "-D", data, "-w", "-l", os.path.join(work, "server.log"), "-o",
                    f"-p {port} -k {work} -c logging_collector=on -c log_destination=csvlog "
                    f"-c log_directory={logdir} -c log_statement=all", "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        for path in sorted(glob.glob(os.path.join(here, "*.sql"))):
            name = os.path.basename(path)[:-4]
            db = "o_" + name
            subprocess.run(as_pg + ["psql", "-h", work, "-p", port, "-q", "-c", f"create database {db}"], check=True)
            shutil.copy(path, os.path.join(work, "in.sql"))
            os.chmod(os.path.join(work, "in.sql"), 0o644)
            subprocess.run(as_pg + ["psql", "-h", work, "-p", port, "-d", db, "-X", "-q", "-f",
                                    os.path.join(work, "in.sql")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.5)
            statements = []
            for log in sorted(glob.glob(os.path.join(logdir, "*.csv"))):
                with open(log, newline="") as f:
                    for row in csv.reader(f):
                        if row[2] != db:
                            continue
                        severity, message, query = row[11], row[13], row[19]
                        if severity == "LOG" and message.startswith("statement: "):
                            statements.append(message[len("statement: "):])
                        elif severity == "ERROR" and query and (not statements or statements[-1] != query):
                            statements.append(query)
            with open(os.path.join(here, name + ".oracle"), "w") as out:
                for st in statements:
                    out.write(normalise(st) + "\n")
            print(name, len(statements))
    finally:
        subprocess.run(as_pg + [BIN + "/pg_ctl", "-D", data, "-m", "immediate", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
