"""Shared by the EDIN e-certificates API V1 end-to-end tests (docs/edin.md): provisioning with
several users and GLNs, logins (cached per test class: a login costs a PBKDF2 of 600,000
iterations), request helpers and reply checks."""

import base64
import json
import urllib.parse
import uuid

from harness import ServerTest

API = "/Api/V1/"

# GLNs (all with a valid GS1 check digit).
S1 = "9864066822454"   # supplier's first GLN (the seed's cert_gln_creator)
S2 = "9864066822430"   # supplier's second GLN
T1 = "9864064665428"   # supplier2's GLN
T2 = "4820000004046"   # supplier2's second GLN: some user's, but not in edin_glns
N = "9008727091081"    # a retail network; the "network" user's own GLN
R1 = "4829900023799"   # a shop of network N; the retailer's GLN
N2 = "9864232613879"   # another retail network (no user)
R2 = "4820000002028"   # a shop of network N2; shop2's GLN
P = "4820000005050"    # a partner known to certreg (edin_glns), no user
UNKNOWN = "4607164999995"  # the seed's GLN that belongs to nobody
UNKNOWN2 = "4820000003032"  # another GLN certreg does not know

INN_SUPPLIER, EDRPOU_SUPPLIER = "3012345678", "30123456"    # S1 and S2
INN_SUPPLIER2, EDRPOU_SUPPLIER2 = "2876543210", "28765432"  # T1
INN_NOBODY, EDRPOU_NOBODY = "1111111111", "11111111"        # P: a company with no certificates

USERS = {
    "supplier": ("Supplier#1-pass", [S1, S2]),
    "supplier2": ("Supplier#2-pass", [T1, T2]),
    "retailer": ("Retailer#1-pass", [R1]),
    "network": ("Network#1-pass", [N]),
    "shop2": ("Shop#2-pass", [R2]),
    "nogln": ("NoGln#1-pass", []),
}

PROVISION = {
    "edin_users": [{"login": login, "password": pw, "glns": glns}
                   for login, (pw, glns) in USERS.items()],
    "edin_glns": [
        {"gln": S1, "name": "ТОВ «Постачальник», склад 1", "inn": INN_SUPPLIER, "edrpou": EDRPOU_SUPPLIER},
        {"gln": S2, "name": "ТОВ «Постачальник», склад 2", "inn": INN_SUPPLIER, "edrpou": EDRPOU_SUPPLIER},
        {"gln": T1, "name": "ПП «Другий постачальник»", "inn": INN_SUPPLIER2, "edrpou": EDRPOU_SUPPLIER2},
        {"gln": N, "name": "Мережа «Сільпо»", "retail_network": True},
        {"gln": R1, "name": "Магазин №1", "network": N},
        {"gln": N2, "name": "Мережа «АТБ»", "retail_network": True},
        {"gln": R2, "name": "Магазин №2", "network": N2},
        {"gln": P, "name": "Партнер", "inn": INN_NOBODY, "edrpou": EDRPOU_NOBODY},
    ],
}

SUCCESS = "Success!"
AUTH_FAILED = "Ошибка авторизации"
LOGIN_FAILED = "Неверный логин или пароль"
CERT_NOT_FOUND = "Сертификат не найден"
NO_ACCESS = "Нет доступа к запрашиваемой информации"
NO_DATA = "Запрашиваемая информация не найдена"
BAD_PARAMS = "Ошибка в параметрах запроса"


def required(field):
    return f'Не заполнено обязательное поле "{field}"'


def bad_format(field, value):
    return f'Недопустимый формат поля "{field}" {value}'


def too_long(field, value, limit):
    return f"{bad_format(field, value)}, максимальное количество символов {limit}"


def bad_date(field, value):
    return f"{bad_format(field, value)}, формат даты DD.MM.YYYY"


def new_number(prefix="N"):
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def seed_body():
    """The seed's example request (without its token)."""
    return {
        "cert_number": "Test_api_4",
        "cert_date": "05.06.2018",
        "cert_sub_type": "1",
        "cert_type": "8",
        "cert_start_date": "30.06.2018",
        "cert_end_date": "29.07.2018",
        "cert_part_number": "part_numb_api_1",
        "cert_gln_creator": "9864066822454",
        "cert_lot_number": "lot_numb_api_1",
        "cert_gtd": "gtd_api_1",
    }


def cert_body(**fields):
    """A valid Create body with a unique number; a field given as None is left out."""
    body = {
        "cert_number": new_number(),
        "cert_date": "05.06.2018",
        "cert_sub_type": "1",
        "cert_type": "8",
        "cert_start_date": "30.06.2018",
        "cert_end_date": "29.07.2018",
        "cert_gln_creator": S1,
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


def scan(kind):
    """A small file of that kind, recognisable by its first bytes, unique per call."""
    tail = uuid.uuid4().bytes
    return {
        "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00",
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
        "tiff": b"II*\x00\x08\x00\x00\x00\x00\x00",
        "tiff-be": b"MM\x00*\x00\x00\x00\x08\x00\x00",
    }[kind] + tail


def b64(data):
    return base64.b64encode(data).decode()


def ordered(response):
    """The reply's top-level object as a list of (key, value), in the order sent."""
    return json.loads(response.body, object_pairs_hook=list)


def authorize(server, login, password=None, verb="POST"):
    """Logs in; returns the Response."""
    if password is None:
        password = USERS[login][0]
    return server.request(verb, API + "User/Authorize", body={"varLogin": login, "varPassword": password})


def login(server, user):
    r = authorize(server, user)
    assert r.status == 200 and r.json.get("intCode") == 200, r
    return r.json["varToken"]


class EdinTest(ServerTest):
    """One server per class, provisioned with PROVISION; tokens are cached per class."""

    PROVISION = PROVISION

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tokens = {}

    def token(self, user="supplier"):
        if user not in self.tokens:
            self.tokens[user] = login(self.server, user)
        return self.tokens[user]

    def call(self, method, body=None, user="supplier", verb="POST", token=None, query=None,
             raw=None):
        """Calls /Api/V1/<method> with a JSON body; varToken is the user's (or `token`; no token
        when both user and token are None). `query` (a dict) goes in the URL; `raw` is sent as
        it is instead of a JSON body."""
        path = API + method
        if query is not None:
            path += "?" + urllib.parse.urlencode(query)
        if raw is not None:
            return self.server.request(verb, path, raw=raw)
        if body is None and query is not None:
            return self.server.request(verb, path)
        data = dict(body or {})
        if token is not None:
            data["varToken"] = token
        elif user is not None:
            data["varToken"] = self.token(user)
        return self.server.request(verb, path, body=data)

    # -- reply checks ---------------------------------------------------------------------------

    def ok(self, r):
        """A success reply; returns its JSON."""
        self.assertEqual(r.status, 200, r)
        j = r.json
        self.assertEqual((j.get("intCode"), j.get("varMessage")), (200, SUCCESS), r)
        return j

    def assert_reply(self, r, code, message, status=200):
        """An error reply: exactly {"varMessage": message, "intCode": code}, in that order."""
        self.assertEqual(r.status, status, r)
        self.assertEqual(ordered(r), [("varMessage", message), ("intCode", code)], r)

    # -- certificates ---------------------------------------------------------------------------

    def create(self, user="supplier", **fields):
        """Creates a certificate; returns its id (int)."""
        r = self.call("Certificate/Create", cert_body(**fields), user)
        j = self.ok(r)
        self.assertRegex(j["certificate_id"], r"^[0-9]+$")
        return int(j["certificate_id"])

    def get_cert(self, cert_id, user="supplier"):
        return self.call("GetCertUA/GetCertByID", {"certID": cert_id}, user)

    def cert_data(self, cert_id, user="supplier"):
        return self.ok(self.get_cert(cert_id, user))["cert_data"]

    def sees(self, user, cert_id):
        """True when GetCertByID answers 200, False when 403 (anything else fails)."""
        r = self.get_cert(cert_id, user)
        code = r.json["intCode"]
        self.assertIn(code, (200, 403), r)
        if code == 403:
            self.assert_reply(r, 403, NO_ACCESS)
        return code == 200

    def assert_seen_by(self, cert_id, *seers):
        """Exactly `seers` (among every provisioned user) see the certificate."""
        seen = {u for u in USERS if self.sees(u, cert_id)}
        self.assertEqual(seen, set(seers))

    def set_access(self, cert_id, access_type, action=None, amigos=None, user="supplier"):
        body = {"cert_id": cert_id, "access_type": access_type}
        if action is not None:
            body["access_action"] = action
        if amigos is not None:
            body["amigos_info"] = amigos
        return self.call("Certificate/SetAccess", body, user)

    def share(self, cert_id, *grants, action=1, user="supplier"):
        """SetAccess type 2 with (gln, isRetailer) pairs; must succeed."""
        amigos = [{"gln": g, "isRetailer": r} for g, r in grants]
        self.ok(self.set_access(cert_id, 2, action, amigos, user))

    def search(self, method, param, value, user="supplier", **extra):
        body = {param: value}
        body.update(extra)
        return self.call("GetCertUA/" + method, body, user)

    def found_ids(self, r):
        return [c["intCertID"] for c in self.ok(r)["certs"]]
