"""The demo accounts: one per role, all with the password users.DEMO_PASSWORD ("demo1234")."""

from campaign.accounts import users
from campaign.org import access

DEMO_USERS = [
    ("admin", access.ADMIN, (), "县反诈中心管理员"),
    ("leader", access.LEADER, (), "县领导"),
    ("coord_cx", access.COORDINATOR, ("T01",), "城厢镇联络员"),
    ("coord_gaj", access.COORDINATOR, ("D018",), "县公安局联络员"),
    ("grid_cx", access.GRID_WORKER, ("G01-001",), "城南社区第1网格网格员"),  # issue 3: one grid
    ("teacher_cx", access.COORDINATOR, ("S01-07-01",), "城厢中心小学一年级(1)班班主任"),  # issue 3: one class
]
# Demo accounts sign in with users.DEMO_PASSWORD ("demo1234") and only while the database has no
# real administrator (users.demo_mode); creating one with `python -m campaign user add` disables them.
# The two unit coordinators have (made-up) mobiles, so that the work groups' reminders @-mention them (issue 19).
DEMO_MOBILES = {"coord_cx": "13900000001", "coord_gaj": "13900000018"}




def load(db, today) -> None:
    """The demo accounts (after the registries: two of them answer for a grid and a class)."""
    for username, role, scope, label in DEMO_USERS:
        users.add_user(db, access.SYSTEM, username, role, scope_codes=scope, display_name=label, demo=True,
                       password=users.DEMO_PASSWORD, mobile=DEMO_MOBILES.get(username),
                       hashed=_demo_hash())


def _demo_hash() -> str:
    """One argon2 hash of the shared demo password for every demo account (each hash costs ~0.3 s)."""
    if users.HASHER not in _HASHES:  # keyed by the hasher: the tests swap in a cheap one
        _HASHES[users.HASHER] = users.hash_password(users.DEMO_PASSWORD)
    return _HASHES[users.HASHER]


_HASHES: dict = {}


CITY_USERS = [("admin", access.ADMIN, (), "市反诈中心管理员"), ("leader", access.LEADER, (), "市领导"),
              ("coord_c01", access.COORDINATOR, ("C01",), "章贡区联络员")]


def load_city(db) -> None:
    """The synthetic city's demo accounts (inside the generator's transaction)."""
    for username, role, scope, label in CITY_USERS:
        users.add_user(db, access.SYSTEM, username, role, scope_codes=scope, display_name=label, demo=True,
                       password=users.DEMO_PASSWORD)
