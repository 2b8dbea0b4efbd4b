"""EDIN User/Authorize, tokens, transport conventions (GET and POST, query string, padded keys,
numbers as strings), the six directories, GetCertByID, AttachScan and GetFileByID, every
GetCertsBy* method, the HTTP status options and the HTTP layer under /Api/V1/ (docs/edin.md)."""

import base64
import hashlib
import shutil
import unittest
import uuid

from edin_fixtures import (
    API, AUTH_FAILED, BAD_PARAMS, CERT_NOT_FOUND, EDRPOU_NOBODY, EDRPOU_SUPPLIER, EDRPOU_SUPPLIER2,
    INN_NOBODY, INN_SUPPLIER, INN_SUPPLIER2, LOGIN_FAILED, NO_ACCESS, NO_DATA, P, PROVISION, R1,
    S1, S2, SUCCESS, T1, T2, UNKNOWN, EdinTest, authorize, b64, bad_format, cert_body, login,
    new_number, ordered, required, scan)
from harness import Server, main, raw_exchange

DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
TOKEN = r"^[0-9a-v]{26}$"
MIB = 1024 * 1024
BAD_BODY = 'Недопустимый формат поля "file_body" '

CERT_DATA_KEYS = {
    "intCertID", "varCreatedDate", "varNumber", "varOriginalNum", "varSystemNum", "intType",
    "intSubType", "intOwnerGlnID", "intSupplierGlnID", "intAccessType", "varLotNumber", "varDate",
    "varText", "varStartDate", "varEndDate", "varPartNumber", "intDssCertID", "intDssCertStat",
    "intDssCertDate", "varDssCertStat", "isMadePDF", "varReviewDate", "varSubTypeName",
    "varAccessTypeName", "varTypeName",
    # certreg's additions (docs/edin.md)
    "varOwnerGln", "varGtd"}
LIST_KEYS = ["intCertID", "varNumber", "varStartDate", "varEndDate", "varReviewDate",
             "intSupplierGlnID"]

METHODS = [
    "Certificate/Create", "Certificate/AttachScan", "Certificate/SetAccess", "Certificate/SetBind",
    "Certificate/NotifyError", "Certificate/ShowTypes", "Certificate/ShowSubTypes",
    "Certificate/ShowAccessTypes", "Certificate/ShowAccessActions", "Certificate/ShowBindActions",
    "Certificate/ShowErrorTypes", "GetCertUA/GetCertByID", "GetCertUA/GetFileByID",
    "GetCertUA/GetCertsByNum", "GetCertUA/GetCertsByGLN", "GetCertUA/GetCertsByBarcode",
    "GetCertUA/GetCertsByInnCode", "GetCertUA/GetCertsByEdrpouCode", "GetCertUA/GetCertsByNaklNum"]


class Authorize(EdinTest):
    def test_success(self):
        for verb in ("POST", "GET"):
            with self.subTest(verb=verb):
                r = authorize(self.server, "supplier", verb=verb)
                self.assertEqual(r.status, 200, r)
                pairs = ordered(r)
                self.assertEqual([k for k, _ in pairs], ["varToken", "varMessage", "intCode"])
                self.assertRegex(pairs[0][1], TOKEN)
                self.assertEqual(pairs[1:], [("varMessage", SUCCESS), ("intCode", 200)])
                self.ok(self.call("Certificate/ShowTypes", token=pairs[0][1]))

    def test_each_login_gets_its_own_token(self):
        a, b = login(self.server, "retailer"), login(self.server, "retailer")
        self.assertNotEqual(a, b)
        for t in (a, b):
            self.ok(self.call("Certificate/ShowSubTypes", token=t))

    def test_wrong_login_or_password(self):
        for who, pw in (("supplier", "wrong"), ("nobody", "Supplier#1-pass"),
                        ("supplier", "Supplier#2-pass"), ("supplier", "")):
            with self.subTest(login=who, password=pw):
                self.assert_reply(authorize(self.server, who, pw), 401, LOGIN_FAILED)

    def test_missing_login_or_password(self):
        for body in ({}, {"varLogin": "supplier"}, {"varPassword": "Supplier#1-pass"},
                     {"varLogin": "", "varPassword": ""}):
            with self.subTest(body=body):
                r = self.server.request("POST", API + "User/Authorize", body=body)
                self.assert_reply(r, 401, LOGIN_FAILED)

    def test_padded_keys_and_query_string(self):
        r = self.server.request("POST", API + "User/Authorize",
                                body={" varLogin ": "network", " varPassword ": "Network#1-pass"})
        self.assertRegex(self.ok(r)["varToken"], TOKEN)
        r = self.server.request("GET", API + "User/Authorize?varLogin=shop2&varPassword=Shop%232-pass")
        self.assertRegex(self.ok(r)["varToken"], TOKEN)


class Tokens(EdinTest):
    """A missing, empty or unknown token: 401 "Ошибка авторизации" from every method, and nothing
    changes."""

    def test_every_method_without_a_valid_token(self):
        bad = [None, "", "   ", "0123456789abcdefghijklmnop", self.token("supplier") + "x", 12345]
        for method in METHODS:
            for verb in ("POST", "GET"):
                for token in bad:
                    with self.subTest(method=method, verb=verb, token=token):
                        body = {"certID": 1, "cert_id": 1, "num": "x"}
                        if token is not None:
                            body["varToken"] = token
                        r = self.server.request(verb, API + method, body=body)
                        self.assert_reply(r, 401, AUTH_FAILED)

    def test_no_body_at_all(self):
        r = self.server.request("GET", API + "Certificate/ShowTypes")
        self.assert_reply(r, 401, AUTH_FAILED)

    def test_a_bad_token_changes_nothing(self):
        bad = "0123456789abcdefghijklmnop"
        number, g = new_number(), str(uuid.uuid4().int)[:13]
        self.assert_reply(self.call("Certificate/Create", cert_body(cert_number=number), token=bad),
                          401, AUTH_FAILED)
        self.assert_reply(self.search("GetCertsByNum", "num", number), 404, NO_DATA)
        cert_id = self.create()
        for method, body in (
                ("Certificate/SetAccess", {"access_type": 1}),
                ("Certificate/SetBind", {"bind_action": 1, "product_binds": [{"gtin": g}]}),
                ("Certificate/AttachScan", {"file_body": b64(scan("pdf")), "file_name": "a.pdf"})):
            with self.subTest(method=method):
                self.assert_reply(self.call(method, dict(body, cert_id=cert_id), token=bad), 401,
                                  AUTH_FAILED)
        d = self.ok(self.get_cert(cert_id))
        self.assertEqual((d["cert_data"]["intAccessType"], d["cert_data"]["varReviewDate"]), (0, "null"))
        self.assertEqual(d["cert_files"], [])
        self.assert_reply(self.search("GetCertsByBarcode", "barcode", g), 404, NO_DATA)
        # A complaint with a bad token is not recorded: the real one is not a duplicate.
        self.ok(self.set_access(cert_id, 1))
        self.assert_reply(self.call("Certificate/NotifyError", {"cert_id": cert_id, "type_error": 1},
                                    token=bad), 401, AUTH_FAILED)
        self.ok(self.call("Certificate/NotifyError", {"cert_id": cert_id, "type_error": 1}, "retailer"))


class Transport(EdinTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls("run")
        cls.cert = t.create(cert_gtd="GTD-transport", cert_lot_number="LOT-1")
        cls.gtin = str(uuid.uuid4().int)[:13]
        t.ok(t.call("Certificate/SetBind", {"cert_id": cls.cert, "bind_action": 1,
                                            "product_binds": [{"gtin": cls.gtin}]}))
        cls.file = int(t.ok(t.call("Certificate/AttachScan", {
            "cert_id": cls.cert, "file_body": b64(scan("pdf")), "file_name": "scan.pdf"}))["file_id"])
        cls.shared = t.create()
        t.ok(t.set_access(cls.shared, 1))

    def bodies(self):
        """A body each method accepts (a fresh one per call)."""
        g = str(uuid.uuid4().int)[:13]
        notify_target = self.create()
        self.ok(self.set_access(notify_target, 1))
        return {
            "Certificate/Create": cert_body(),
            "Certificate/AttachScan": {"cert_id": self.cert, "file_body": b64(scan("png")),
                                       "file_name": "p.png"},
            "Certificate/SetAccess": {"cert_id": self.create(), "access_type": 2, "access_action": 1,
                                      "amigos_info": [{"gln": T1, "isRetailer": False}]},
            "Certificate/SetBind": {"cert_id": self.cert, "bind_action": 1,
                                    "product_binds": [{"gtin": g}]},
            "Certificate/NotifyError": {"cert_id": notify_target, "type_error": 3, "text": "x"},
            "Certificate/ShowTypes": {}, "Certificate/ShowSubTypes": {},
            "Certificate/ShowAccessTypes": {}, "Certificate/ShowAccessActions": {},
            "Certificate/ShowBindActions": {}, "Certificate/ShowErrorTypes": {},
            "GetCertUA/GetCertByID": {"certID": self.cert},
            "GetCertUA/GetFileByID": {"intFileID": self.file},
            "GetCertUA/GetCertsByNum": {"num": self.cert_data(self.cert)["varNumber"]},
            "GetCertUA/GetCertsByGLN": {"gln": S1},
            "GetCertUA/GetCertsByBarcode": {"barcode": self.gtin},
            "GetCertUA/GetCertsByInnCode": {"inn": INN_SUPPLIER},
            "GetCertUA/GetCertsByEdrpouCode": {"edrpou": EDRPOU_SUPPLIER},
            "GetCertUA/GetCertsByNaklNum": {"naklnum": "GTD-transport"},
        }

    def test_get_and_post_on_every_method(self):
        for verb in ("GET", "POST"):
            for method, body in self.bodies().items():
                with self.subTest(verb=verb, method=method):
                    self.ok(self.call(method, body, verb=verb))

    def test_query_string_when_the_body_is_empty(self):
        token = self.token()
        for verb in ("GET", "POST"):
            with self.subTest(verb=verb):
                r = self.call("GetCertUA/GetCertByID", verb=verb,
                              query={"varToken": token, "certID": self.cert})
                self.assertEqual(self.ok(r)["cert_data"]["intCertID"], self.cert)
                r = self.call("GetCertUA/GetCertsByNaklNum", verb=verb,
                              query={"varToken": token, "naklnum": "GTD-transport"})
                self.assertEqual(self.found_ids(r), [self.cert])
                self.ok(self.call("Certificate/ShowTypes", verb=verb, query={"varToken": token}))
                number = new_number()
                q = dict(cert_body(cert_number=number), varToken=token)
                r = self.call("Certificate/Create", verb=verb, query=q)
                cert_id = int(self.ok(r)["certificate_id"])
                self.assertEqual(self.cert_data(cert_id)["varNumber"], number)
                self.assert_reply(self.call("GetCertUA/GetCertByID", verb=verb,
                                            query={"certID": self.cert}), 401, AUTH_FAILED)

    def test_padded_keys(self):
        token = self.token()
        r = self.server.request("GET", API + "GetCertUA/GetCertByID",
                                body={" varToken ": token, "certID ": self.cert})
        self.assertEqual(self.ok(r)["cert_data"]["intCertID"], self.cert)
        body = {f" {k} ": v for k, v in cert_body().items()}
        body[" varToken "] = token
        r = self.server.request("POST", API + "Certificate/Create", body=body)
        self.assertRegex(self.ok(r)["certificate_id"], r"^[0-9]+$")

    def test_padded_keys_inside_blocks(self):
        # BUG: docs/edin.md says keys are matched after trimming spaces, but only top-level keys
        # are: in amigos_info / product_binds items " gln " and " gtin " are not found
        # (SetAccess answers 'Не заполнено обязательное поле "gln" в блоке "amigos_info"', SetBind
        # 'Не заполнены поля в блоке "product_binds"').
        cert_id = self.create()
        self.ok(self.call("Certificate/SetAccess", {
            "cert_id": cert_id, "access_type": 2, "access_action": 1,
            "amigos_info": [{" gln ": T1, " isRetailer ": False}]}))
        self.ok(self.call("Certificate/SetBind", {
            "cert_id": cert_id, "bind_action": 1, "product_binds": [{" gtin ": "4820000000017"}]}))

    def test_numbers_as_numbers_or_strings(self):
        for value in (self.cert, str(self.cert)):
            with self.subTest(certID=value):
                self.assertEqual(self.ok(self.get_cert(value))["cert_data"]["intCertID"], self.cert)
        for value in (self.file, str(self.file)):
            with self.subTest(intFileID=value):
                self.ok(self.call("GetCertUA/GetFileByID", {"intFileID": value}))
        for gln in (S1, int(S1)):
            self.assertIn(self.cert, self.found_ids(self.search("GetCertsByGLN", "gln", gln)))
        self.assertEqual(self.found_ids(self.search("GetCertsByBarcode", "barcode", int(self.gtin))),
                         [self.cert])
        for cert_id, access_type, action in ((self.create(), "2", "1"), (str(self.create()), 2, 1)):
            self.ok(self.set_access(cert_id, access_type, action, [{"gln": int(T1), "isRetailer": 0}]))
            self.assertTrue(self.sees("supplier2", cert_id))
        self.ok(self.call("Certificate/SetBind", {"cert_id": str(self.cert), "bind_action": "1",
                                                  "product_binds": [{"gtin": 4820000000000,
                                                                     "uktved": 401234}]}))
        self.ok(self.call("Certificate/NotifyError", {"cert_id": str(self.shared), "type_error": "2"},
                          "retailer"))

    def test_default_http_status_is_always_200(self):
        for r, code in ((self.call("Certificate/ShowTypes", token="bad"), 401),
                        (self.get_cert(99999999), 404),
                        (self.get_cert(self.cert, "supplier2"), 403),
                        (self.call("GetCertUA/GetCertByID", {}), 400),
                        (self.call("Certificate/NotifyError",
                                   {"cert_id": self.shared, "type_error": 9}, "retailer"), 400),
                        (authorize(self.server, "supplier", "wrong"), 401)):
            with self.subTest(code=code):
                self.assertEqual((r.status, r.json["intCode"]), (200, code), r)


class HttpLayer(EdinTest):
    def test_unknown_method_path(self):
        for path in ("Certificate/Nope", "GetCertUA/GetCertsByName", "Foo", "User/Authorize/x",
                     "Certificate"):
            with self.subTest(path=path):
                r = self.server.request("POST", API + path, body={"varToken": self.token()})
                self.assertEqual(r.status, 404, r)
                self.assertEqual(ordered(r), [("varMessage", BAD_PARAMS), ("intCode", 404)])

    def test_other_http_methods(self):
        for verb in ("PUT", "DELETE", "PATCH"):
            for path in ("Certificate/Create", "User/Authorize", "GetCertUA/GetCertByID"):
                with self.subTest(verb=verb, path=path):
                    r = self.server.request(verb, API + path, body={"varToken": self.token()})
                    self.assertEqual(r.status, 405, r)
                    self.assertEqual(ordered(r), [("varMessage", BAD_PARAMS), ("intCode", 405)])

    def test_body_over_the_limit(self):
        for path, limit in (("Certificate/Create", MIB), ("Certificate/AttachScan", 11 * MIB)):
            with self.subTest(path=path):
                head = (f"POST {API}{path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {limit * 2}\r\nConnection: close\r\n\r\n").encode()
                out = raw_exchange(self.server.port, head)
                self.assertTrue(out.startswith(b"HTTP/1.1 413"), out[:200])
                body = out.split(b"\r\n\r\n", 1)[1].decode()
                self.assertEqual(body, '{"varMessage":"Запрос слишком большой","intCode":413}')


class Directories(EdinTest):
    def directory(self, method, key):
        r = self.call("Certificate/" + method)
        self.assertEqual(r.status, 200, r)
        pairs = ordered(r)
        self.assertEqual([k for k, _ in pairs], [key, "varMessage", "intCode"])
        self.assertEqual(pairs[1:], [("varMessage", SUCCESS), ("intCode", 200)])
        items = pairs[0][1]
        for item in items:
            self.assertEqual([k for k, _ in item], ["code", "name"])
            self.assertIs(type(item[0][1]), int)
            self.assertIsInstance(item[1][1], str)
        return [(item[0][1], item[1][1]) for item in items]

    def test_show_types(self):
        self.assertEqual(self.directory("ShowTypes", "certificate_types"), [
            (1, "сертифікат відповідності/визнання"), (2, "посвідчення якості"),
            (3, "декларація імпортера"), (4, "висновок СЄС"), (5, "декларація виробника"),
            (6, "карантинний сертифікат"), (7, "акт фітосанітарного контролю"),
            (8, "фітосанітарний сертифікат"), (9, "висновок фітосанітарної експертизи"),
            (10, "протокол лабораторних досліджень"), (11, "Експертний висновок"),
            (12, "Приложение к файлу"), (13, "Сертификат типа"), (14, "Сертифікат аналізу"),
            (15, "Дозвіл на випуск /реалізацію"), (16, "Висновок Держлікслужби")])

    def test_show_sub_types(self):
        self.assertEqual(self.directory("ShowSubTypes", "certificate_sub_types"),
                         [(1, "Период действия"), (2, "Номер партии")])

    def test_show_access_types(self):
        self.assertEqual(self.directory("ShowAccessTypes", "certificate_access_types"),
                         [(1, "Доступен всем"), (2, "Ограниченный доступ")])

    def test_show_access_actions(self):
        self.assertEqual(self.directory("ShowAccessActions", "certificate_access_actions"),
                         [(1, "Расшарить доступ к сертификату"), (2, "Убрать доуступ к сертификату")])

    def test_show_bind_actions_uses_the_access_actions_key(self):
        self.assertEqual(self.directory("ShowBindActions", "certificate_access_actions"),
                         [(1, "Добавить привязки к товару"), (2, "Удалить привязки к товару")])

    def test_show_error_types(self):
        items = self.directory("ShowErrorTypes", "certificate_error_types")
        self.assertEqual([c for c, _ in items], [1, 2, 3, 4, 5])
        names = [n for _, n in items]
        self.assertTrue(all(n.strip() for n in names))
        self.assertEqual(len(set(names)), 5)

    def test_directories_ignore_extra_fields_and_work_for_every_user(self):
        for user in ("nogln", "retailer"):
            r = self.call("Certificate/ShowAccessTypes", {"filter": "x", "cert_id": "y"}, user)
            self.assertEqual(len(self.ok(r)["certificate_access_types"]), 2)


class GetCertByID(EdinTest):
    def test_shape(self):
        number = new_number("Shape")
        cert_id = self.create(cert_number=number, cert_type="3", cert_lot_number="LOT-7",
                              cert_date="01.02.2020", cert_start_date="03.04.2020",
                              cert_end_date="05.06.2021", cert_gtd="GTD-7")
        r = self.get_cert(cert_id)
        self.assertEqual(r.status, 200, r)
        pairs = ordered(r)
        self.assertEqual([k for k, _ in pairs],
                         ["cert_data", "cert_cat", "cert_files", "varMessage", "intCode"])
        j = r.json
        d = j["cert_data"]
        self.assertEqual(set(d), CERT_DATA_KEYS)
        self.assertEqual(j["cert_cat"], [])
        self.assertEqual(j["cert_files"], [])
        self.assertIs(type(d["intCertID"]), int)
        self.assertEqual(d["intCertID"], cert_id)
        self.assertRegex(d["varCreatedDate"], DATETIME)
        self.assertEqual(d["varNumber"], number)
        self.assertEqual(d["varOriginalNum"], number)
        self.assertEqual(d["varSystemNum"], number.upper())
        self.assertEqual((d["intType"], d["intSubType"]), (3, 1))
        self.assertEqual((d["intOwnerGlnID"], d["intSupplierGlnID"], d["varOwnerGln"]),
                         (int(S1), int(S1), S1))
        self.assertEqual(d["intAccessType"], 0)
        self.assertEqual(d["varLotNumber"], "LOT-7")
        self.assertEqual(d["varDate"], "2020-02-01 00:00:00")
        self.assertEqual(d["varStartDate"], "2020-04-03 00:00:00")
        self.assertEqual(d["varEndDate"], "2021-06-05 00:00:00")
        self.assertIsNone(d["varPartNumber"])
        self.assertEqual(d["varGtd"], "GTD-7")
        self.assertIsNone(d["varText"])
        for k in ("intDssCertID", "intDssCertStat", "intDssCertDate", "varDssCertStat"):
            self.assertIsNone(d[k], k)
        self.assertEqual(d["isMadePDF"], 0)
        self.assertEqual(d["varReviewDate"], "null")
        self.assertEqual(d["varSubTypeName"], "Период действия")
        self.assertEqual(d["varAccessTypeName"], "не вибрано")
        self.assertEqual(d["varTypeName"], "декларація імпортера")

    def test_review_date_after_changes(self):
        for change in ("access", "bind", "scan"):
            with self.subTest(change=change):
                cert_id = self.create()
                self.assertEqual(self.cert_data(cert_id)["varReviewDate"], "null")
                if change == "access":
                    self.ok(self.set_access(cert_id, 1))
                elif change == "bind":
                    self.ok(self.call("Certificate/SetBind", {"cert_id": cert_id, "bind_action": 1,
                                                              "product_binds": [{"gtin": "123"}]}))
                else:
                    self.ok(self.call("Certificate/AttachScan", {
                        "cert_id": cert_id, "file_body": b64(scan("pdf")), "file_name": "a.pdf"}))
                d = self.cert_data(cert_id)
                self.assertRegex(d["varReviewDate"], DATETIME)
                self.assertGreaterEqual(d["varReviewDate"], d["varCreatedDate"])

    def test_sign_info_is_accepted_as_the_id(self):
        cert_id = self.create()
        r = self.call("GetCertUA/GetCertByID", {"signInfo": cert_id})
        self.assertEqual(self.ok(r)["cert_data"]["intCertID"], cert_id)
        r = self.call("GetCertUA/GetCertByID", {"signInfo": str(cert_id)})
        self.assertEqual(self.ok(r)["cert_data"]["intCertID"], cert_id)

    def test_errors(self):
        for body in ({}, {"certID": ""}, {"certID": None}, {"cert_id": 1}):
            with self.subTest(body=body):
                self.assert_reply(self.call("GetCertUA/GetCertByID", body), 400, BAD_PARAMS)
        for value in (99999999, "abc", -1, 0):
            with self.subTest(certID=value):
                self.assert_reply(self.get_cert(value), 404, NO_DATA)
        hidden = self.create("supplier2", cert_gln_creator=T1)
        self.assert_reply(self.get_cert(hidden), 403, NO_ACCESS)
        self.assert_reply(self.call("GetCertUA/GetCertByID", {"signInfo": hidden}), 403, NO_ACCESS)


class AttachScan(EdinTest):
    def attach(self, cert_id, data, name="scan.pdf", user="supplier"):
        body = {"cert_id": cert_id, "file_name": name}
        if data is not None:
            body["file_body"] = data if isinstance(data, str) else b64(data)
        return self.call("Certificate/AttachScan", body, user)

    def attached(self, cert_id, data, name):
        r = self.attach(cert_id, data, name)
        self.assertEqual(r.status, 200, r)
        pairs = ordered(r)
        self.assertEqual([k for k, _ in pairs], ["file_id", "varMessage", "intCode"])
        self.assertRegex(pairs[0][1], r"^[0-9]+$")
        self.assertEqual(pairs[1:], [("varMessage", SUCCESS), ("intCode", 200)])
        return int(pairs[0][1])

    def get_file(self, file_id, user="supplier"):
        return self.call("GetCertUA/GetFileByID", {"intFileID": file_id}, user)

    def test_each_kind_listed_and_returned(self):
        cert_id = self.create()
        sent = []
        for kind, name in (("pdf", "scan.pdf"), ("png", "фото.png"), ("jpeg", "scan.jpg"),
                           ("tiff", "scan.tif"), ("tiff-be", "scan-mm.tiff")):
            data = scan(kind)
            sent.append((self.attached(cert_id, data, name), name, data))
        files = self.ok(self.get_cert(cert_id))["cert_files"]
        self.assertEqual(files, [{"intFileID": fid, "intType": 0, "varFileName": name,
                                  "intSignStatus": 0, "varHashLink": hashlib.md5(data).hexdigest()}
                                 for fid, name, data in sent])
        for fid, name, data in sent:
            with self.subTest(file=name):
                r = self.get_file(fid)
                self.assertEqual(r.status, 200, r)
                pairs = ordered(r)
                self.assertEqual([k for k, _ in pairs], ["cert_file_data", "varMessage", "intCode"])
                f = r.json["cert_file_data"]
                self.assertEqual([k for k, _ in pairs[0][1]],
                                 ["intCertFileID", "intType", "varFileName", "varHashLink", "varBody"])
                self.assertEqual((f["intCertFileID"], f["intType"], f["varFileName"], f["varHashLink"]),
                                 (fid, 0, name, hashlib.md5(data).hexdigest()))
                self.assertIsInstance(f["varBody"], list)
                self.assertEqual(len(f["varBody"]), 1)
                self.assertEqual(f["varBody"][0], b64(data))
                self.assertEqual(base64.b64decode(f["varBody"][0]), data)

    def test_kind_is_recognised_by_content_not_name(self):
        cert_id = self.create()
        self.attached(cert_id, scan("png"), "looks-like.pdf")
        self.assert_reply(self.attach(cert_id, b"just text, not a scan", "scan.pdf"), 400, BAD_BODY)

    def test_is_made_pdf(self):
        def made(cert_id):
            return self.cert_data(cert_id)["isMadePDF"]
        one_pdf = self.create()
        self.assertEqual(made(one_pdf), 0)
        self.attached(one_pdf, scan("pdf"), "a.pdf")
        self.assertEqual(made(one_pdf), 3)
        self.attached(one_pdf, scan("pdf"), "b.pdf")
        self.assertEqual(made(one_pdf), 7)
        one_image = self.create()
        self.attached(one_image, scan("jpeg"), "a.jpg")
        self.assertEqual(made(one_image), 7)
        mixed = self.create()
        self.attached(mixed, scan("png"), "a.png")
        self.attached(mixed, scan("pdf"), "b.pdf")
        self.assertEqual(made(mixed), 7)

    def test_rejected_bodies(self):
        cert_id = self.create()
        for label, body in (("text", b64(b"hello, world")),
                            ("garbage", b64(uuid.uuid4().bytes * 4)),
                            ("almost pdf", b64(b"%PD")),
                            ("not base64", "!!!not-base64!!!"),
                            ("bad length", "JVBERi0xLjQ"),
                            ("pad in the middle", "JV==BERi0xLjQK")):
            with self.subTest(body=label):
                self.assert_reply(self.attach(cert_id, body), 400, BAD_BODY)
        self.assertEqual(self.ok(self.get_cert(cert_id))["cert_files"], [])

    def test_size_limit(self):
        cert_id = self.create()
        limit = 7864320  # 7.5 MiB
        head = b"%PDF-1.4\n"
        data = head + b"\0" * (limit - len(head))
        fid = self.attached(cert_id, data, "big.pdf")
        self.assertEqual(base64.b64decode(self.ok(self.get_file(fid))["cert_file_data"]["varBody"][0]),
                         data)
        self.assert_reply(self.attach(cert_id, data + b"\0"), 400, BAD_BODY)
        self.assertEqual(len(self.ok(self.get_cert(cert_id))["cert_files"]), 1)

    def test_errors(self):
        cert_id = self.create()
        pdf = b64(scan("pdf"))
        self.assert_reply(self.call("Certificate/AttachScan", {"file_body": pdf, "file_name": "a.pdf"}),
                          400, required("cert_id"))
        theirs = self.create("supplier2", cert_gln_creator=T1)
        self.ok(self.set_access(theirs, 1, user="supplier2"))
        for target in (theirs, 99999999, "abc"):
            with self.subTest(cert_id=target):
                self.assert_reply(self.attach(target, pdf), 404, CERT_NOT_FOUND)
        self.assert_reply(self.attach(cert_id, None), 400, required("file_body"))
        self.assert_reply(self.attach(cert_id, ""), 400, required("file_body"))
        self.assert_reply(self.attach(cert_id, pdf, ""), 400, required("file_name"))
        self.assert_reply(self.call("Certificate/AttachScan", {"cert_id": cert_id, "file_body": pdf}),
                          400, required("file_name"))
        self.attached(cert_id, scan("pdf"), "ф" * 251 + ".pdf")  # 255 characters
        name = "ф" * 252 + ".pdf"
        self.assert_reply(self.attach(cert_id, pdf, name), 400, bad_format("file_name", name))
        # Order: cert_id, owner, file_body, file_name, the body's format, the name's length.
        self.assert_reply(self.call("Certificate/AttachScan", {"cert_id": theirs}), 404, CERT_NOT_FOUND)
        self.assert_reply(self.call("Certificate/AttachScan", {"cert_id": cert_id}), 400,
                          required("file_body"))
        self.assert_reply(self.attach(cert_id, "!!", ""), 400, required("file_name"))
        self.assert_reply(self.attach(cert_id, "!!", name), 400, BAD_BODY)
        self.assertEqual(len(self.ok(self.get_cert(cert_id))["cert_files"]), 1)

    def test_get_file_by_id_access(self):
        cert_id = self.create()
        data = scan("tiff")
        fid = self.attached(cert_id, data, "a.tif")
        for user in ("supplier2", "retailer", "nogln"):
            with self.subTest(user=user):
                self.assert_reply(self.get_file(fid, user), 403, NO_ACCESS)
        self.share(cert_id, (R1, False))
        self.assertEqual(self.ok(self.get_file(fid, "retailer"))["cert_file_data"]["varBody"], [b64(data)])
        self.assert_reply(self.get_file(fid, "supplier2"), 403, NO_ACCESS)
        self.ok(self.set_access(cert_id, 1))
        self.ok(self.get_file(fid, "nogln"))
        self.assertEqual(self.ok(self.get_cert(cert_id, "nogln"))["cert_files"][0]["intFileID"], fid)

    def test_get_file_by_id_errors(self):
        for body in ({}, {"intFileID": ""}, {"fileID": 1}):
            with self.subTest(body=body):
                self.assert_reply(self.call("GetCertUA/GetFileByID", body), 400, BAD_PARAMS)
        for value in (99999999, "abc"):
            with self.subTest(intFileID=value):
                self.assert_reply(self.get_file(value), 404, NO_DATA)


class Searches(EdinTest):
    """Every GetCertsBy*: what it finds, and its 400 / 404 / 403."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls("run")
        cls.gtd = new_number("ГТД")
        cls.own1 = t.create(cert_gtd=cls.gtd, cert_sub_type="2", cert_part_number="P",
                            cert_end_date=None)
        cls.own2 = t.create(cert_gln_creator=S2, cert_gtd=cls.gtd)
        t.ok(t.set_access(cls.own2, 1))
        # supplier2's certificates are never public in this class: T1 and T2 hidden from others.
        cls.t1 = t.create("supplier2", cert_gln_creator=T1)
        cls.t2_hidden = t.create("supplier2", cert_gln_creator=T2, cert_gtd=new_number("GTD"))
        cls.gtin = str(uuid.uuid4().int)[:13]
        t.ok(t.call("Certificate/SetBind", {"cert_id": cls.t2_hidden, "bind_action": 1,
                                            "product_binds": [{"gtin": cls.gtin}]}, "supplier2"))

    def ids(self, method, param, value, user="supplier"):
        return self.found_ids(self.search(method, param, value, user))

    def test_list_shape(self):
        r = self.search("GetCertsByNaklNum", "naklnum", self.gtd)
        pairs = ordered(r)
        self.assertEqual([k for k, _ in pairs], ["certs", "varMessage", "intCode"])
        items = r.json["certs"]
        self.assertEqual([i["intCertID"] for i in items], [self.own1, self.own2])
        for item, pair_list in zip(items, pairs[0][1]):
            self.assertEqual([k for k, _ in pair_list], LIST_KEYS)
        first, second = items
        d = self.cert_data(self.own1)
        self.assertEqual(first, {"intCertID": self.own1, "varNumber": d["varNumber"],
                                 "varStartDate": "2018-06-30 00:00:00", "varEndDate": None,
                                 "varReviewDate": "null", "intSupplierGlnID": int(S1)})
        self.assertEqual(second["intSupplierGlnID"], int(S2))
        self.assertEqual(second["varEndDate"], "2018-07-29 00:00:00")
        self.assertRegex(second["varReviewDate"], DATETIME)

    def test_missing_parameter(self):
        for method, param in (("GetCertsByNum", "num"), ("GetCertsByGLN", "gln"),
                              ("GetCertsByBarcode", "barcode"), ("GetCertsByInnCode", "inn"),
                              ("GetCertsByEdrpouCode", "edrpou"), ("GetCertsByNaklNum", "naklnum")):
            for body in ({}, {param: ""}, {param: None}, {"filter": "owner"}):
                with self.subTest(method=method, body=body):
                    self.assert_reply(self.call("GetCertUA/" + method, body), 400, BAD_PARAMS)

    def test_by_num_normalised(self):
        base = uuid.uuid4().hex[:8]
        number = f"ua-Cert {base}"
        cert_id = self.create(cert_number=number)
        for query in (number, f"UA-CERT{base.upper()}", f" ua - cert {base} ", f"Ua-cErT{base}"):
            with self.subTest(num=query):
                r = self.search("GetCertsByNum", "num", query)
                self.assertEqual(self.found_ids(r), [cert_id])
                self.assertEqual(r.json["certs"][0]["varNumber"], number)
        self.assert_reply(self.search("GetCertsByNum", "num", f"ua-cert{base}x"), 404, NO_DATA)
        self.assert_reply(self.search("GetCertsByNum", "num", number, "retailer"), 403, NO_ACCESS)

    def test_by_num_across_owners(self):
        number = new_number()
        a = self.create(cert_number=number)
        b = self.create("supplier2", cert_number=number, cert_gln_creator=T1)
        self.assertEqual(self.ids("GetCertsByNum", "num", number), [a])
        self.assertEqual(self.ids("GetCertsByNum", "num", number, "supplier2"), [b])
        self.share(b, (S2, False), user="supplier2")
        self.assertEqual(self.ids("GetCertsByNum", "num", number), [a, b])
        self.assert_reply(self.search("GetCertsByNum", "num", number, "nogln"), 403, NO_ACCESS)
        self.ok(self.set_access(a, 1))
        self.assertEqual(self.ids("GetCertsByNum", "num", number, "nogln"), [a])

    def test_by_gln(self):
        self.assertIn(self.own1, self.ids("GetCertsByGLN", "gln", S1))
        self.assertNotIn(self.own2, self.ids("GetCertsByGLN", "gln", S1))
        self.assertIn(self.own2, self.ids("GetCertsByGLN", "gln", S2))
        self.assertEqual(self.ids("GetCertsByGLN", "gln", S2, "retailer"), [self.own2])
        self.assertIn(self.t1, self.ids("GetCertsByGLN", "gln", T1, "supplier2"))
        self.assert_reply(self.search("GetCertsByGLN", "gln", T1, "retailer"), 403, NO_ACCESS)
        self.assertEqual(self.ids("GetCertsByGLN", "gln", T2, "supplier2"), [self.t2_hidden])
        self.assert_reply(self.search("GetCertsByGLN", "gln", T2), 403, NO_ACCESS)
        for gln in (P, UNKNOWN, "1234567890123", "abc"):
            with self.subTest(gln=gln):
                self.assert_reply(self.search("GetCertsByGLN", "gln", gln), 404, NO_DATA)

    def test_by_barcode(self):
        self.assertEqual(self.ids("GetCertsByBarcode", "barcode", self.gtin, "supplier2"),
                         [self.t2_hidden])
        self.assert_reply(self.search("GetCertsByBarcode", "barcode", self.gtin), 403, NO_ACCESS)
        self.assert_reply(self.search("GetCertsByBarcode", "barcode", "0000000000000"), 404, NO_DATA)

    def test_by_inn(self):
        ids = self.ids("GetCertsByInnCode", "inn", INN_SUPPLIER)
        self.assertIn(self.own1, ids)
        self.assertIn(self.own2, ids)
        self.assertEqual(self.ids("GetCertsByInnCode", "inn", INN_SUPPLIER, "nogln"), [self.own2])
        # T1 has INN_SUPPLIER2; T2 is not in edin_glns, so has no INN.
        ids = self.ids("GetCertsByInnCode", "inn", INN_SUPPLIER2, "supplier2")
        self.assertIn(self.t1, ids)
        self.assertNotIn(self.t2_hidden, ids)
        self.assert_reply(self.search("GetCertsByInnCode", "inn", INN_SUPPLIER2, "retailer"), 403,
                          NO_ACCESS)
        self.assert_reply(self.search("GetCertsByInnCode", "inn", INN_NOBODY), 404, NO_DATA)
        self.assert_reply(self.search("GetCertsByInnCode", "inn", "9999999999"), 404, NO_DATA)
        self.assert_reply(self.search("GetCertsByInnCode", "inn", EDRPOU_SUPPLIER), 404, NO_DATA)

    def test_by_edrpou(self):
        ids = self.ids("GetCertsByEdrpouCode", "edrpou", EDRPOU_SUPPLIER)
        self.assertIn(self.own1, ids)
        self.assertIn(self.own2, ids)
        self.assertEqual(self.ids("GetCertsByEdrpouCode", "edrpou", EDRPOU_SUPPLIER, "shop2"),
                         [self.own2])
        self.assertIn(self.t1, self.ids("GetCertsByEdrpouCode", "edrpou", EDRPOU_SUPPLIER2, "supplier2"))
        self.assert_reply(self.search("GetCertsByEdrpouCode", "edrpou", EDRPOU_SUPPLIER2, "retailer"),
                          403, NO_ACCESS)
        self.assert_reply(self.search("GetCertsByEdrpouCode", "edrpou", EDRPOU_NOBODY), 404, NO_DATA)
        self.assert_reply(self.search("GetCertsByEdrpouCode", "edrpou", INN_SUPPLIER), 404, NO_DATA)

    def test_by_nakl_num(self):
        self.assertEqual(self.ids("GetCertsByNaklNum", "naklnum", self.gtd), [self.own1, self.own2])
        self.assertEqual(self.ids("GetCertsByNaklNum", "naklnum", self.gtd, "shop2"), [self.own2])
        gtd = self.cert_data(self.t2_hidden, "supplier2")["varGtd"]
        self.assertEqual(self.ids("GetCertsByNaklNum", "naklnum", gtd, "supplier2"), [self.t2_hidden])
        self.assert_reply(self.search("GetCertsByNaklNum", "naklnum", gtd), 403, NO_ACCESS)
        self.assert_reply(self.search("GetCertsByNaklNum", "naklnum", new_number()), 404, NO_DATA)


class HttpStatusOption(unittest.TestCase):
    """certreg serve --edin-http-status: the HTTP status mirrors intCode."""

    ARGS = ["--edin-http-status"]

    def setUp(self):
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
            shutil.rmtree(self.server.dir, ignore_errors=True)

    def start(self, *args):
        self.server = Server(provision=PROVISION, args=args)
        return self.server.start()

    def test_status_mirrors_int_code(self):
        # BUG: docs/edin.md documents `certreg serve --edin-http-status`, but src/main.cpp never
        # registers the option (ServeOptions.edin_mirror_http_status is never set): the server
        # refuses to start ("The following arguments were not expected: --edin-http-status").
        s = self.start("--edin-http-status")
        token = login(s, "supplier")
        body = dict(cert_body(), varToken=token)
        r = s.request("POST", API + "Certificate/Create", body=body)
        self.assertEqual((r.status, r.json["intCode"]), (200, 200), r)
        cert_id = r.json["certificate_id"]
        cases = [
            (s.request("POST", API + "Certificate/ShowTypes", body={"varToken": "x"}), 401),
            (authorize(s, "supplier", "wrong"), 401),
            (s.request("POST", API + "Certificate/Create", body=body), 404),
            (s.request("POST", API + "Certificate/Create", body=dict(body, cert_date="x")), 400),
            (s.request("POST", API + "GetCertUA/GetCertByID", body={"varToken": token}), 400),
            (s.request("POST", API + "GetCertUA/GetCertByID",
                       body={"varToken": token, "certID": 99999999}), 404),
            (s.request("POST", API + "GetCertUA/GetCertByID",
                       body={"varToken": login(s, "retailer"), "certID": cert_id}), 403),
            (s.request("POST", API + "Certificate/NotifyError",
                       body={"varToken": token, "cert_id": cert_id, "type_error": 9}), 400),
            (s.request("POST", API + "Certificate/ShowTypes", body={"varToken": token}), 200),
        ]
        for r, code in cases:
            with self.subTest(code=code, body=r.body[:80]):
                self.assertEqual((r.status, r.json["intCode"]), (code, code), r)

    def test_strict_gln_checks_the_check_digit(self):
        # BUG: docs/edin.md documents `--edin-strict-gln`, but src/main.cpp never registers it
        # either: the server refuses to start.
        s = self.start("--edin-strict-gln")
        token = login(s, "supplier")
        r = s.request("POST", API + "Certificate/Create",
                      body=dict(cert_body(cert_gln_creator="9864066822455"), varToken=token))
        self.assertEqual(r.json, {"varMessage": bad_format("cert_gln_creator", "9864066822455"),
                                  "intCode": 400})
        r = s.request("POST", API + "Certificate/Create", body=dict(cert_body(), varToken=token))
        self.assertEqual(r.json["intCode"], 200, r)


if __name__ == "__main__":
    main()
