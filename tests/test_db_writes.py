"""Writers under a rush (issue 21): first come, first served within a process, nothing lost, nothing locked."""

import threading
import time

from campaign import features
from campaign.infra import clock
from campaign.infra import db as database
from campaign.installs import entries as installs
from campaign.installs import rankings, reference


def test_writers_waiting_for_the_turn_get_it_in_the_order_they_asked():
    turns, order = database._Turns(), []

    def writer(n):
        with turns:
            order.append(n)

    with turns:  # the turn is held: every writer below queues
        threads = []
        for n in range(12):
            thread = threading.Thread(target=writer, args=(n,))
            thread.start()
            threads.append(thread)
            while len(turns._waiting) < n + 1:
                time.sleep(0.001)  # each one queued before the next starts
    for thread in threads:
        thread.join(10)
    assert order == list(range(12))


def test_forty_savers_at_once_lose_nothing_and_keep_the_summaries_exact(demo_path, admin):
    setup = features.connect(demo_path)
    day = clock.today()
    units = [uid for (uid,) in setup.execute("SELECT unit_id FROM install_unit_totals ORDER BY unit_id LIMIT 40")]
    people = {uid: [sid for (sid,) in setup.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1 ORDER BY id", [uid])]
              for uid in units}
    go, last, failures = threading.Barrier(len(units)), {}, []

    def saver(uid):
        conn = database.connect(demo_path)
        go.wait()
        for round_ in range(3):
            values = {sid: (round_ * 7 + sid) % 41 for sid in people[uid][:5]}
            try:
                installs.save_entries(conn, admin, uid, day, values)
                last.update(values)
            except Exception as error:  # noqa: BLE001 — any failure fails the test below
                failures.append(repr(error))
        conn.conn.close()

    threads = [threading.Thread(target=saver, args=(uid,)) for uid in units if people[uid]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    held = dict(setup.execute("SELECT staff_id, installs FROM install_reports WHERE day = ? AND superseded_by IS NULL",
                              [day.isoformat()]).fetchall())
    assert {sid: held.get(sid) for sid in last} == last
    assert rankings.unit_ranking(setup).equals(reference.unit_ranking_from_raw(setup))
