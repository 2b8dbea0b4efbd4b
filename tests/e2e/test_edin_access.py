"""EDIN SetAccess, visibility, the GetCertsBy* filters, SetBind and NotifyError (docs/edin.md):
every documented error with its exact text and code, in the documented order, and who sees what."""

import unittest
import uuid

from edin_fixtures import (
    BAD_PARAMS, CERT_NOT_FOUND, N, N2, NO_ACCESS, NO_DATA, P, R1, S1, S2, SUCCESS, T1, T2,
    UNKNOWN, UNKNOWN2, EdinTest, bad_format, new_number, ordered, required, too_long)
from harness import main

SET_ACCESS = "Certificate/SetAccess"
SET_BIND = "Certificate/SetBind"
NOTIFY = "Certificate/NotifyError"


def required_in_amigos(field):
    return f'{required(field)} в блоке "amigos_info"'


def bad_in_amigos(field, value):
    return f'{bad_format(field, value)} в блоке "amigos_info"'


def unknown_glns(*glns):
    return f'Не найдены "gln" {",".join(glns)} в блоке "amigos_info"'


def not_networks(*glns):
    # Two spaces and the misplaced quote are the documented text.
    return f'Переданные данные в поле "gln" {",".join(glns)}  блока "amigos_info не принадлежат сети"'


BINDS_EMPTY = 'Не заполнены поля в блоке "product_binds"'
COMPLAINT_EXISTS = "Уведомление об ошибке было отправлено ранее"


def bad_uktved(v):
    return f"{bad_format('uktved', v)}, должно быть число от 4 до 10 символов"


def bad_dkpp(v):
    # The first two groups with Cyrillic Х (U+0425), the rest with Latin X.
    return f"{bad_format('dkpp', v)}, должно быть число в виде \u0425\u0425.\u0425\u0425.XX-XX.XX"


def gtin():
    return str(uuid.uuid4().int)[:14]


class SetAccessErrors(EdinTest):
    def test_success_reply(self):
        r = self.set_access(self.create(), 1)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(ordered(r), [("varMessage", SUCCESS), ("intCode", 200)])

    def test_cert_id_missing(self):
        for body in ({"access_type": 1}, {"cert_id": "", "access_type": 1}, {"cert_id": None}):
            with self.subTest(body=body):
                self.assert_reply(self.call(SET_ACCESS, body), 400, required("cert_id"))

    def test_not_a_certificate_of_the_user(self):
        theirs = self.create("supplier2", cert_gln_creator=T1)
        for cert_id in (theirs, str(theirs), 99999999, "abc"):
            with self.subTest(cert_id=cert_id):
                self.assert_reply(self.set_access(cert_id, 1), 404, CERT_NOT_FOUND)
        # Seen (public) is not owned.
        self.ok(self.set_access(theirs, 1, user="supplier2"))
        self.assert_reply(self.set_access(theirs, 1), 404, CERT_NOT_FOUND)
        self.assert_reply(self.set_access(theirs, 1, user="nogln"), 404, CERT_NOT_FOUND)

    def test_access_type_empty_or_unknown(self):
        cert_id = self.create()
        for value in (None, "", 0, 3, "3", "abc", -1):
            with self.subTest(access_type=value):
                body = {"cert_id": cert_id}
                if value is not None:
                    body["access_type"] = value
                self.assert_reply(self.call(SET_ACCESS, body), 400, required("access_type"))

    def test_access_action_empty(self):
        cert_id = self.create()
        for value in (None, "", "  "):
            with self.subTest(access_action=value):
                self.assert_reply(self.set_access(cert_id, 2, value, [{"gln": T1, "isRetailer": False}]),
                                  400, required("access_action"))

    def test_access_action_unknown(self):
        cert_id = self.create()
        for value, shown in ((324, "324"), ("324", "324"), ("abc", "abc"), (0, "0"), (3, "3")):
            with self.subTest(access_action=value):
                self.assert_reply(self.set_access(cert_id, 2, value, [{"gln": T1, "isRetailer": False}]),
                                  400, bad_format("access_action", shown))

    def test_amigos_info_missing_or_empty(self):
        cert_id = self.create()
        for value in (None, [], {}, "x"):
            with self.subTest(amigos_info=value):
                self.assert_reply(self.set_access(cert_id, 2, 1, value), 400, required("amigos_info"))

    def test_entry_without_gln(self):
        cert_id = self.create()
        for entry in ({"isRetailer": False}, {"gln": ""}, {"gln": "  "}, "x", 5):
            with self.subTest(entry=entry):
                self.assert_reply(self.set_access(cert_id, 2, 1, [entry]), 400, required_in_amigos("gln"))

    def test_entry_with_a_null_gln(self):
        # BUG: {"gln": null} is reported as a format error with the text "null"
        # ('Недопустимый формат поля "gln" null в блоке "amigos_info"') instead of the missing-gln
        # error; everywhere else (top-level fields, product_binds items, isRetailer) a JSON null is
        # treated as absent.
        self.assert_reply(self.set_access(self.create(), 2, 1, [{"gln": None, "isRetailer": True}]),
                          400, required_in_amigos("gln"))

    def test_gln_not_13_digits(self):
        cert_id = self.create()
        for value in ("dfghdfg", "123456789012", "12345678901234", "482990002379x"):
            with self.subTest(gln=value):
                self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": value, "isRetailer": False}]),
                                  400, bad_in_amigos("gln", value))

    def test_is_retailer_not_a_boolean(self):
        cert_id = self.create()
        for value, shown in (("maybe", "maybe"), (2, "2"), ("yes", "yes"), ("2", "2")):
            with self.subTest(isRetailer=value):
                self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": T1, "isRetailer": value}]),
                                  400, bad_in_amigos("isRetailer", shown))

    def test_is_retailer_spellings(self):
        cert_id = self.create()
        for value in (False, 0, "false", "0"):
            with self.subTest(isRetailer=value):
                self.ok(self.set_access(cert_id, 2, 1, [{"gln": T1, "isRetailer": value}]))
        for value in (True, 1, "true", "1"):
            with self.subTest(isRetailer=value):
                self.ok(self.set_access(cert_id, 2, 1, [{"gln": N, "isRetailer": value}]))

    def test_unknown_glns(self):
        cert_id = self.create()
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": UNKNOWN, "isRetailer": False}]),
                          404, unknown_glns(UNKNOWN))
        amigos = [{"gln": UNKNOWN, "isRetailer": False}, {"gln": P, "isRetailer": False},
                  {"gln": UNKNOWN2, "isRetailer": True}, {"gln": UNKNOWN, "isRetailer": False}]
        self.assert_reply(self.set_access(cert_id, 2, 1, amigos), 404, unknown_glns(UNKNOWN, UNKNOWN2))
        # Known: provisioned in edin_glns (P) or some user's GLN (T2).
        self.ok(self.set_access(cert_id, 2, 1, [{"gln": P, "isRetailer": False},
                                                {"gln": T2, "isRetailer": False}]))

    def test_is_retailer_for_glns_that_are_not_networks(self):
        cert_id = self.create()
        amigos = [{"gln": R1, "isRetailer": True}, {"gln": N, "isRetailer": True},
                  {"gln": S2, "isRetailer": "true"}, {"gln": N2, "isRetailer": 1}]
        self.assert_reply(self.set_access(cert_id, 2, 1, amigos), 404, not_networks(R1, S2))
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": T1, "isRetailer": True}]), 404,
                          not_networks(T1))

    def test_type_1_needs_no_action_nor_amigos(self):
        cert_id = self.create()
        self.ok(self.set_access(cert_id, 1))
        self.ok(self.set_access(cert_id, "1", "324"))

    def test_refusals_change_nothing(self):
        cert_id = self.create()
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": T1, "isRetailer": False},
                                                          {"gln": UNKNOWN, "isRetailer": False}]),
                          404, unknown_glns(UNKNOWN))
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": T1, "isRetailer": False},
                                                          {"gln": R1, "isRetailer": True}]),
                          404, not_networks(R1))
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": T1, "isRetailer": False},
                                                          {"gln": "bad"}]),
                          400, bad_in_amigos("gln", "bad"))
        d = self.cert_data(cert_id)
        self.assertEqual((d["intAccessType"], d["varReviewDate"]), (0, "null"))
        self.assertFalse(self.sees("supplier2", cert_id))

    # -- order -----------------------------------------------------------------------------------

    def test_cert_id_before_everything(self):
        self.assert_reply(self.call(SET_ACCESS, {"access_type": 7, "access_action": 9}), 400,
                          required("cert_id"))

    def test_not_owned_before_access_type(self):
        theirs = self.create("supplier2", cert_gln_creator=T1)
        self.assert_reply(self.call(SET_ACCESS, {"cert_id": theirs}), 404, CERT_NOT_FOUND)
        self.assert_reply(self.set_access(theirs, 2, 324, []), 404, CERT_NOT_FOUND)

    def test_access_type_before_action(self):
        self.assert_reply(self.set_access(self.create(), 5, 324, []), 400, required("access_type"))

    def test_action_before_amigos(self):
        cert_id = self.create()
        self.assert_reply(self.set_access(cert_id, 2, None, []), 400, required("access_action"))
        self.assert_reply(self.set_access(cert_id, 2, 324, []), 400, bad_format("access_action", "324"))

    def test_amigos_before_entries(self):
        self.assert_reply(self.set_access(self.create(), 2, 1, []), 400, required("amigos_info"))

    def test_within_an_entry_gln_before_is_retailer(self):
        cert_id = self.create()
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"isRetailer": "maybe"}]), 400,
                          required_in_amigos("gln"))
        self.assert_reply(self.set_access(cert_id, 2, 1, [{"gln": "bad", "isRetailer": "maybe"}]),
                          400, bad_in_amigos("gln", "bad"))

    def test_format_before_unknown(self):
        cert_id = self.create()
        amigos = [{"gln": UNKNOWN, "isRetailer": False}, {"gln": "dfghdfg", "isRetailer": False}]
        self.assert_reply(self.set_access(cert_id, 2, 1, amigos), 400, bad_in_amigos("gln", "dfghdfg"))
        amigos = [{"gln": UNKNOWN, "isRetailer": False}, {"gln": T1, "isRetailer": "maybe"}]
        self.assert_reply(self.set_access(cert_id, 2, 1, amigos), 400,
                          bad_in_amigos("isRetailer", "maybe"))

    def test_unknown_before_not_networks(self):
        amigos = [{"gln": R1, "isRetailer": True}, {"gln": UNKNOWN, "isRetailer": False}]
        self.assert_reply(self.set_access(self.create(), 2, 1, amigos), 404, unknown_glns(UNKNOWN))


class Visibility(EdinTest):
    def test_a_new_certificate_is_seen_by_its_owner_only(self):
        gtd = new_number("GTD")
        number = new_number()
        cert_id = self.create(cert_number=number, cert_gtd=gtd)
        d = self.cert_data(cert_id)
        self.assertEqual((d["intAccessType"], d["varAccessTypeName"]), (0, "не вибрано"))
        self.assert_seen_by(cert_id, "supplier")
        for user in ("supplier2", "retailer", "network", "nogln"):
            with self.subTest(user=user):
                self.assert_reply(self.get_cert(cert_id, user), 403, NO_ACCESS)
                self.assert_reply(self.search("GetCertsByNum", "num", number, user), 403, NO_ACCESS)
                self.assert_reply(self.search("GetCertsByNaklNum", "naklnum", gtd, user), 403, NO_ACCESS)
        self.assertEqual(self.found_ids(self.search("GetCertsByNum", "num", number)), [cert_id])

    def test_owner_through_the_second_gln(self):
        cert_id = self.create(cert_gln_creator=S2)
        self.assert_seen_by(cert_id, "supplier")

    def test_type_1_is_seen_by_everyone(self):
        number = new_number()
        cert_id = self.create(cert_number=number)
        self.ok(self.set_access(cert_id, 1))
        d = self.cert_data(cert_id)
        self.assertEqual((d["intAccessType"], d["varAccessTypeName"]), (1, "Доступен всем"))
        self.assert_seen_by(cert_id, "supplier", "supplier2", "retailer", "network", "shop2", "nogln")
        self.assertEqual(self.found_ids(self.search("GetCertsByNum", "num", number, "nogln")), [cert_id])

    def test_shared_with_a_gln(self):
        cert_id = self.create()
        self.share(cert_id, (T1, False))
        d = self.cert_data(cert_id)
        self.assertEqual((d["intAccessType"], d["varAccessTypeName"]), (2, "Ограниченный доступ"))
        self.assert_seen_by(cert_id, "supplier", "supplier2")
        self.assertEqual(self.cert_data(cert_id, "supplier2")["intCertID"], cert_id)

    def test_shared_with_a_gln_that_is_not_in_edin_glns(self):
        cert_id = self.create()
        self.share(cert_id, (T2, False))
        self.assert_seen_by(cert_id, "supplier", "supplier2")

    def test_shared_with_a_shop_is_not_shared_with_its_network(self):
        cert_id = self.create()
        self.share(cert_id, (R1, False))
        self.assert_seen_by(cert_id, "supplier", "retailer")

    def test_shared_with_a_network_gln_alone(self):
        cert_id = self.create()
        self.share(cert_id, (N, False))
        self.assert_seen_by(cert_id, "supplier", "network")

    def test_shared_with_a_retail_network(self):
        cert_id = self.create()
        self.share(cert_id, (N, True))
        self.assert_seen_by(cert_id, "supplier", "retailer", "network")
        cert_id = self.create()
        self.share(cert_id, (N2, "true"))
        self.assert_seen_by(cert_id, "supplier", "shop2")

    def test_several_grants_at_once(self):
        cert_id = self.create()
        self.share(cert_id, (T1, False), (N2, True), (P, False))
        self.assert_seen_by(cert_id, "supplier", "supplier2", "shop2")

    def test_action_2_takes_access_back(self):
        cert_id = self.create()
        self.share(cert_id, (T1, False), (N, True))
        self.assert_seen_by(cert_id, "supplier", "supplier2", "retailer", "network")
        self.share(cert_id, (N, True), action=2)
        self.assert_seen_by(cert_id, "supplier", "supplier2")
        # Shared with nobody: the owner only, still restricted.
        self.share(cert_id, (T1, False), action="2")
        self.assert_seen_by(cert_id, "supplier")
        self.assertEqual(self.cert_data(cert_id)["intAccessType"], 2)
        # Taking back a GLN never granted is harmless.
        self.share(cert_id, (R1, False), action=2)
        self.assert_seen_by(cert_id, "supplier")

    def test_granting_twice_then_taking_back_once(self):
        cert_id = self.create()
        self.share(cert_id, (T1, False))
        self.share(cert_id, (T1, False))
        self.share(cert_id, (T1, False), action=2)
        self.assert_seen_by(cert_id, "supplier")

    def test_public_then_restricted(self):
        cert_id = self.create()
        self.ok(self.set_access(cert_id, 1))
        self.share(cert_id, (T1, False))
        self.assert_seen_by(cert_id, "supplier", "supplier2")
        self.ok(self.set_access(cert_id, 1))
        self.assert_seen_by(cert_id, "supplier", "supplier2", "retailer", "network", "shop2", "nogln")

    def test_seeing_is_not_owning(self):
        cert_id = self.create()
        self.share(cert_id, (T1, False))
        for method, body in ((SET_ACCESS, {"access_type": 1}),
                             (SET_BIND, {"bind_action": 1, "product_binds": [{"gtin": gtin()}]}),
                             ("Certificate/AttachScan", {"file_body": "JVBERi0xLjQK",
                                                         "file_name": "a.pdf"})):
            with self.subTest(method=method):
                self.assert_reply(self.call(method, dict(body, cert_id=cert_id), "supplier2"), 404,
                                  CERT_NOT_FOUND)
        self.assert_seen_by(cert_id, "supplier", "supplier2")


class Filters(EdinTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls("run")
        cls.gtd = new_number("GTD")
        cls.a = t.create(cert_gtd=cls.gtd)                      # not chosen (0)
        cls.b = t.create(cert_gtd=cls.gtd)                      # public
        t.ok(t.set_access(cls.b, 1))
        cls.c = t.create(cert_gtd=cls.gtd)                      # shared with supplier2
        t.share(cls.c, (T1, False))
        cls.d = t.create(cert_gtd=cls.gtd, cert_gln_creator=S2)  # restricted, shared with nobody
        t.share(cls.d, (R1, False))
        t.share(cls.d, (R1, False), action=2)

    def run_search(self, user, flt=None):
        extra = {} if flt is None else {"filter": flt}
        return self.search("GetCertsByNaklNum", "naklnum", self.gtd, user, **extra)

    def test_owner_without_filter_sees_all_oldest_first(self):
        self.assertEqual(self.found_ids(self.run_search("supplier")), [self.a, self.b, self.c, self.d])

    def test_owner_filters(self):
        self.assertEqual(self.found_ids(self.run_search("supplier", "owner")),
                         [self.a, self.b, self.c, self.d])
        self.assertEqual(self.found_ids(self.run_search("supplier", "private")), [self.c, self.d])
        self.assertEqual(self.found_ids(self.run_search("supplier", "public")), [self.b])

    def test_other_users(self):
        self.assertEqual(self.found_ids(self.run_search("supplier2")), [self.b, self.c])
        self.assertEqual(self.found_ids(self.run_search("retailer")), [self.b])
        self.assertEqual(self.found_ids(self.run_search("nogln")), [self.b])

    def test_filters_only_keep_the_users_own(self):
        for flt in ("owner", "private", "public"):
            with self.subTest(filter=flt):
                self.assert_reply(self.run_search("supplier2", flt), 404, NO_DATA)

    def test_unknown_filter(self):
        for flt in ("all", "OWNER", "1"):
            with self.subTest(filter=flt):
                self.assert_reply(self.run_search("supplier", flt), 400, BAD_PARAMS)

    def test_filter_on_another_search(self):
        ids = self.found_ids(self.search("GetCertsByGLN", "gln", S1, filter="public"))
        self.assertIn(self.b, ids)
        self.assertNotIn(self.a, ids)
        self.assertNotIn(self.c, ids)
        ids = self.found_ids(self.search("GetCertsByGLN", "gln", S1, filter="private"))
        self.assertIn(self.c, ids)
        self.assertNotIn(self.b, ids)


class SetBind(EdinTest):
    def bind(self, cert_id, action, *binds, user="supplier"):
        return self.call(SET_BIND, {"cert_id": cert_id, "bind_action": action,
                                    "product_binds": list(binds)}, user)

    def barcode(self, code, user="supplier"):
        return self.search("GetCertsByBarcode", "barcode", code, user)

    def test_cert_id_missing(self):
        self.assert_reply(self.call(SET_BIND, {"bind_action": 1, "product_binds": [{"gtin": "1"}]}),
                          400, required("cert_id"))

    def test_not_the_users(self):
        theirs = self.create("supplier2", cert_gln_creator=T1)
        self.ok(self.set_access(theirs, 1, user="supplier2"))
        for cert_id in (theirs, 99999999, "x"):
            with self.subTest(cert_id=cert_id):
                self.assert_reply(self.bind(cert_id, 1, {"gtin": gtin()}), 404, CERT_NOT_FOUND)

    def test_bind_action(self):
        cert_id = self.create()
        for body in ({}, {"bind_action": ""}):
            with self.subTest(body=body):
                self.assert_reply(self.call(SET_BIND, dict(body, cert_id=cert_id,
                                                           product_binds=[{"gtin": gtin()}])),
                                  400, required("bind_action"))
        for value, shown in ((3, "3"), ("3", "3"), (0, "0"), ("add", "add")):
            with self.subTest(bind_action=value):
                self.assert_reply(self.bind(cert_id, value, {"gtin": gtin()}), 400,
                                  bad_format("bind_action", shown))

    def test_product_binds_missing_or_empty(self):
        cert_id = self.create()
        self.assert_reply(self.call(SET_BIND, {"cert_id": cert_id, "bind_action": 1}), 400,
                          required("product_binds"))
        for value in ([], {}, "x"):
            with self.subTest(product_binds=value):
                self.assert_reply(self.call(SET_BIND, {"cert_id": cert_id, "bind_action": 1,
                                                       "product_binds": value}),
                                  400, required("product_binds"))

    def test_item_with_every_field_empty(self):
        cert_id = self.create()
        for item in ({}, {"gtin": ""}, {"gtin": "  ", "article_supplier": "", "article_buyer": "",
                                        "uktved": "", "dkpp": ""}):
            with self.subTest(item=item):
                self.assert_reply(self.bind(cert_id, 1, item), 400, BINDS_EMPTY)

    def test_lengths(self):
        cert_id = self.create()
        for field, limit in (("gtin", 20), ("article_supplier", 30), ("article_buyer", 30)):
            with self.subTest(field=field):
                self.ok(self.bind(cert_id, 1, {field: "Ж" * limit}))
                value = "Ж" * (limit + 1)
                self.assert_reply(self.bind(cert_id, 1, {field: value}), 400,
                                  too_long(field, value, limit))

    def test_uktved(self):
        cert_id = self.create()
        for value in ("0401", "1234567890"):
            self.ok(self.bind(cert_id, 1, {"uktved": value}))
        self.ok(self.bind(cert_id, 1, {"uktzed": "04012000"}))
        for value in ("123", "12345678901", "12a4", "12.34"):
            with self.subTest(uktved=value):
                self.assert_reply(self.bind(cert_id, 1, {"uktved": value}), 400, bad_uktved(value))
                self.assert_reply(self.bind(cert_id, 1, {"uktzed": value}), 400, bad_uktved(value))

    def test_dkpp(self):
        cert_id = self.create()
        self.ok(self.bind(cert_id, 1, {"dkpp": "10.51.11-00.00"}))
        for value in ("10.51.11-00.0", "ХХ.ХХ.XX-XX.XX", "10.51.11.00.00", "1051110000", "1a.51.11-00.00"):
            with self.subTest(dkpp=value):
                r = self.bind(cert_id, 1, {"dkpp": value})
                self.assert_reply(r, 400, bad_dkpp(value))
                self.assertIn("в виде \u0425\u0425.\u0425\u0425.XX-XX.XX".encode(), r.body.encode())

    def test_order(self):
        theirs = self.create("supplier2", cert_gln_creator=T1)
        self.assert_reply(self.call(SET_BIND, {"cert_id": theirs}), 404, CERT_NOT_FOUND)
        cert_id = self.create()
        self.assert_reply(self.call(SET_BIND, {"cert_id": cert_id, "product_binds": []}), 400,
                          required("bind_action"))
        self.assert_reply(self.bind(cert_id, 9), 400, bad_format("bind_action", "9"))
        # Within an item: empty, gtin, article_supplier, article_buyer, uktved, dkpp.
        long = "9" * 31
        self.assert_reply(self.bind(cert_id, 1, {"gtin": long, "article_supplier": long,
                                                 "article_buyer": long, "uktved": "1", "dkpp": "1"}),
                          400, too_long("gtin", long, 20))
        self.assert_reply(self.bind(cert_id, 1, {"article_supplier": long, "article_buyer": long,
                                                 "uktved": "1", "dkpp": "1"}),
                          400, too_long("article_supplier", long, 30))
        self.assert_reply(self.bind(cert_id, 1, {"article_buyer": long, "uktved": "1", "dkpp": "1"}),
                          400, too_long("article_buyer", long, 30))
        self.assert_reply(self.bind(cert_id, 1, {"uktved": "1", "dkpp": "1"}), 400, bad_uktved("1"))
        # Items in order.
        self.assert_reply(self.bind(cert_id, 1, {"gtin": gtin()}, {}, {"dkpp": "1"}), 400, BINDS_EMPTY)
        self.assert_reply(self.bind(cert_id, 1, {"dkpp": "1"}, {}), 400, bad_dkpp("1"))

    def test_add_find_and_remove(self):
        g = gtin()
        cert_id = self.create()
        self.assert_reply(self.barcode(g), 404, NO_DATA)
        r = self.bind(cert_id, 1, {"gtin": g, "article_supplier": "A1", "article_buyer": "B1",
                                   "uktved": "0401", "dkpp": "10.51.11-00.00"})
        self.assertEqual(ordered(r), [("varMessage", SUCCESS), ("intCode", 200)])
        self.assertEqual(self.found_ids(self.barcode(g)), [cert_id])
        self.assertEqual(self.found_ids(self.barcode(int(g))), [cert_id])
        # Hidden from others until shared.
        self.assert_reply(self.barcode(g, "retailer"), 403, NO_ACCESS)
        self.ok(self.set_access(cert_id, 1))
        self.assertEqual(self.found_ids(self.barcode(g, "retailer")), [cert_id])
        self.ok(self.bind(cert_id, "2", {"gtin": g}))
        self.assert_reply(self.barcode(g), 404, NO_DATA)
        self.assert_reply(self.barcode(g, "retailer"), 404, NO_DATA)

    def test_remove_matches_every_given_field(self):
        g = gtin()
        cert_id = self.create()
        self.ok(self.bind(cert_id, 1, {"gtin": g, "article_supplier": "A1"},
                          {"gtin": g, "article_supplier": "A2"}))
        self.ok(self.bind(cert_id, 2, {"gtin": g, "article_supplier": "A1"}))
        self.assertEqual(self.found_ids(self.barcode(g)), [cert_id])
        self.ok(self.bind(cert_id, 2, {"gtin": g, "article_supplier": "A3"}))
        self.assertEqual(self.found_ids(self.barcode(g)), [cert_id])
        self.ok(self.bind(cert_id, 2, {"article_supplier": "A2"}))
        self.assert_reply(self.barcode(g), 404, NO_DATA)

    def test_identical_binding_added_twice(self):
        g = gtin()
        cert_id = self.create()
        self.ok(self.bind(cert_id, 1, {"gtin": g}, {"gtin": g}))
        self.ok(self.bind(cert_id, 1, {"gtin": g}))
        self.assertEqual(self.found_ids(self.barcode(g)), [cert_id])
        self.ok(self.bind(cert_id, 2, {"gtin": g}))
        self.assert_reply(self.barcode(g), 404, NO_DATA)

    def test_one_gtin_on_several_certificates(self):
        g = gtin()
        first, second = self.create(), self.create(cert_gln_creator=S2)
        self.ok(self.bind(second, 1, {"gtin": g}))
        self.ok(self.bind(first, 1, {"gtin": g}))
        self.assertEqual(self.found_ids(self.barcode(g)), [first, second])

    def test_refused_request_binds_nothing(self):
        g = gtin()
        cert_id = self.create()
        self.assert_reply(self.bind(cert_id, 1, {"gtin": g}, {"dkpp": "bad"}), 400, bad_dkpp("bad"))
        self.assert_reply(self.barcode(g), 404, NO_DATA)


class NotifyError(EdinTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls("run")
        cls.public = t.create()
        t.ok(t.set_access(cls.public, 1))

    def notify(self, cert_id, type_error, text=None, user="retailer"):
        body = {"cert_id": cert_id, "type_error": type_error}
        if text is not None:
            body["text"] = text
        return self.call(NOTIFY, body, user)

    def bad_type(self, r, shown):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(ordered(r), [("varMessage", "Недопустимый формат поля "),
                                      ("type_error", shown), ("intCode", 400)])

    def test_success_and_duplicates(self):
        cert_id = self.create()
        self.ok(self.set_access(cert_id, 1))
        r = self.notify(cert_id, 1, "Немає файлу скану")
        self.assertEqual(ordered(r), [("varMessage", SUCCESS), ("intCode", 200)])
        self.assert_reply(self.notify(cert_id, 1, "ще раз"), 400, COMPLAINT_EXISTS)
        self.assert_reply(self.notify(cert_id, "1"), 400, COMPLAINT_EXISTS)
        # Another type, another user: fine.
        self.ok(self.notify(cert_id, 2))
        self.ok(self.notify(cert_id, "3", "", user="retailer"))
        self.ok(self.notify(cert_id, 1, user="supplier2"))
        self.assert_reply(self.notify(cert_id, 1, user="supplier2"), 400, COMPLAINT_EXISTS)

    def test_every_type(self):
        cert_id = self.create()
        self.ok(self.set_access(cert_id, 1))
        for t in range(1, 6):
            self.ok(self.notify(cert_id, t, user="nogln"))

    def test_bad_type(self):
        for value, shown in ((100, "100"), ("100", "100"), (0, "0"), ("6", "6"), ("abc", "abc"),
                             (-1, "-1")):
            with self.subTest(type_error=value):
                self.bad_type(self.notify(self.public, value), shown)

    def test_text_over_500(self):
        self.ok(self.notify(self.public, 4, "Ж" * 500, user="shop2"))
        text = "Ж" * 501
        self.assert_reply(self.notify(self.public, 5, text, user="shop2"), 400,
                          too_long("text", text, 500))

    def test_not_visible(self):
        hidden = self.create()
        for cert_id in (hidden, 99999999, "x"):
            with self.subTest(cert_id=cert_id):
                self.assert_reply(self.notify(cert_id, 1), 404, CERT_NOT_FOUND)
        self.assert_reply(self.call(NOTIFY, {"type_error": 1}, "retailer"), 404, CERT_NOT_FOUND)
        # Shared, then taken back.
        self.share(hidden, (R1, False))
        self.ok(self.notify(hidden, 1))
        self.share(hidden, (R1, False), action=2)
        self.assert_reply(self.notify(hidden, 2), 404, CERT_NOT_FOUND)

    def test_order(self):
        hidden = self.create()
        self.assert_reply(self.notify(hidden, 100, "Ж" * 501), 404, CERT_NOT_FOUND)
        self.bad_type(self.notify(self.public, 100, "Ж" * 501), "100")
        cert_id = self.create()
        self.ok(self.set_access(cert_id, 1))
        self.ok(self.notify(cert_id, 1, user="network"))
        text = "x" * 501
        self.assert_reply(self.notify(cert_id, 1, text, user="network"), 400, too_long("text", text, 500))


if __name__ == "__main__":
    main()
