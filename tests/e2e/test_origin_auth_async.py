"""Origin Connect authentication, tenancy and asynchronous requests (docs/origin.md,
"Authentication and tenancy", "Asynchronous requests"): 401 CE00002 on every service, companies
that never see each other's certifications or batches, async jobs stored in the database that
answer like the sync services, survive restarts and run exactly once."""

import re
import shutil
import tempfile
import time
import unittest
import uuid

from harness import DEMO, Server, main
from origin_fixtures import (ACME, CE00001, CE00002, GLOBEX, PROVISION, OriginTest,
                             new_certification)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UPDATED = {"entityType": "CERTIFICATION", "result": "Update completed."}
DELETED = {"entityType": "CERTIFICATION", "result": "Delete completed."}

# Origin companies next to the IAF demo organisations, whose keys are tokens of another realm.
WITH_IAF = dict(DEMO, **PROVISION)


def batch_path(callback):
    """/connect/... of an absolute poolingCallback URL."""
    return "/" + callback.split("://", 1)[1].split("/", 1)[1]


def not_found(batch, command):
    return f"batchId ''{batch}'' not found for command ''{command}''."


class Auth(OriginTest):
    PROVISION = WITH_IAF

    def endpoints(self, version):
        item, async_item = new_certification(), new_certification()
        update = {"certifications": [{"locale": "en", "externalId": f"UNKNOWN-{uuid.uuid4()}"}]}
        search = {"locale": "en", "pageNumber": "1", "pageSize": "10", "searchCriteria": []}
        page = "locale=en&pageNumber=1&pageSize=10"
        return [
            ("POST", "certifications/create", {"certifications": [item]}),
            ("POST", "certifications/update", update),
            ("POST", "certifications/delete", update),
            ("POST", "async/certifications/create", {"certifications": [async_item]}),
            ("POST", "async/certifications/update", update),
            ("POST", "async/certifications/delete", update),
            ("POST", "certifications/search", search),
            ("GET", f"result/certifications_create/batch/{uuid.uuid4()}", None),
            ("GET", "check", None),
            ("GET", f"standards?{page}&standardType=STANDARD", None),
            ("GET", f"reporting-bodies?{page}", None),
            ("GET", f"properties?{page}", None),
            ("GET", "properties/EPD_TYPE?locale=en", None),
            ("GET", f"categories?{page}", None),
        ]

    def test_401_CE00002_on_every_service(self):
        bad_headers = [
            ("no header", {}),
            ("Bearer wrong", {"authorization": "Bearer wrong"}),
            ("token without Bearer", {"authorization": "origin-acme-token"}),
            ("another scheme", {"authorization": "Basic origin-acme-token"}),
            ("empty Bearer", {"authorization": "Bearer "}),
            ("IAF CB key", {"authorization": "Bearer cb-bsi-key"}),
            ("IAF AB key", {"authorization": "Bearer ab-ukas-key"}),
            ("IAF key in x-http-authorization", {"x-http-authorization": "cb-bsi-key"}),
            ("token prefix", {"authorization": "Bearer origin-acme-toke"}),
        ]
        created = []
        for version in ("v1", "v2"):
            for method, path, body in self.endpoints(version):
                if path == "certifications/create":
                    created.append(body["certifications"][0]["externalId"])
                for name, headers in bad_headers:
                    with self.subTest(version=version, path=path, auth=name):
                        r = self.call(path, body, headers=headers, version=version, method=method)
                        self.assert_error(r, status=401, code=CE00002)
                        self.assertNotIn("result", r.json)
                        if body is not None:
                            self.assertEqual(r.json["connectRequest"], body)
                        else:
                            self.assertIsInstance(r.json["connectRequest"], dict)
                # The same call with the company's token is not refused for its token.
                r = self.call(path, body, version=version, method=method)
                self.assertNotEqual(r.status, 401, r)
        # Nothing was written by the refused calls (the accepted create wrote one each).
        for external_id in created:
            self.assertEqual(len(self.search([("EXTERNALID", external_id)])["data"]), 1)

    def test_refused_async_calls_leave_no_job(self):
        item = new_certification()
        for version in ("v1", "v2"):
            r = self.call("async/certifications/create", {"certifications": [item]},
                          headers={"authorization": "Bearer wrong"}, version=version)
            self.assert_error(r, status=401, code=CE00002)
        # A job accepted afterwards runs after any older one.
        later = new_certification()
        r = self.call("async/certifications/create", {"certifications": [later]})
        self.assertEqual(r.status, 200, r)
        self.assertIn("correlations", self.wait_result(r.json["result"]["poolingCallback"]))
        self.assertEqual(self.search([("EXTERNALID", item["externalId"])])["data"], [])


class Tenancy(OriginTest):
    def setUp(self):
        self.token = uuid.uuid4().hex[:12]
        self.a_id, self.a_ext = self.create(
            certificateNumber=f"TEN-{self.token}", brands=[{"name": "A brand"}],
            channels=[{"name": "ORIGIN"}])
        self.a_before = self.get(self.a_id)

    def tearDown(self):
        self.assertEqual(self.get(self.a_id), self.a_before)

    def unknown_messages(self, path, item, field, value):
        """The messages for an id that exists nowhere, with `value` in its place."""
        fake = "UNKNOWN-" + uuid.uuid4().hex
        r = self.call(path, {"certifications": [dict(item, **{field: fake})]}, headers=GLOBEX)
        return [m.replace(fake, value) for m in self.assert_error(r)]

    def test_other_company_cannot_update_or_delete(self):
        for path in ("certifications/update", "certifications/delete",
                     "async/certifications/update", "async/certifications/delete"):
            for field, value in (("originId", self.a_id), ("externalId", self.a_ext)):
                with self.subTest(path=path, field=field):
                    item = {"locale": "en", field: value, "certificateNumber": "HIJACKED",
                            "brands": [{"collectionBehavior": "REMOVE", "name": "A brand"}]}
                    body = {"certifications": [item]}
                    r = self.call(path, body, headers=GLOBEX)
                    messages = self.assert_error(r)
                    self.assertEqual(r.json["connectRequest"], body)
                    self.assertEqual(messages, [
                        f"certifications[1] has invalid value ''{value}'' for field {field}. "
                        "No certification of your company has it."])
                    # Exactly like an id that does not exist.
                    self.assertEqual(messages, self.unknown_messages(path, item, field, value))

    def test_other_company_never_sees_it(self):
        for criteria in ([("ORIGINID", self.a_id)], [("EXTERNALID", self.a_ext)],
                         [("KEYWORD", self.token)], [("KEYWORD", "A brand")],
                         [("CHANNEL", "ORIGIN")], [("STANDARDCODE", "ISO 9001")],
                         [("MODIFIEDSINCE", "2000-01-01")], []):
            for version in ("v1", "v2"):
                with self.subTest(criteria=criteria, version=version):
                    ids = [c["originId"] for c in self.search(criteria, headers=GLOBEX, version=version)["data"]]
                    self.assertNotIn(self.a_id, ids)
        self.assertEqual(self.search([("ORIGINID", self.a_id)], headers=GLOBEX),
                         {"entityType": "CERTIFICATION",
                          "searchInfo": {"numberOfElements": "0", "numberOfPages": "0"}, "data": []})
        # And A does see it.
        self.assertEqual([c["originId"] for c in self.search([("KEYWORD", self.token)])["data"]], [self.a_id])

    def test_other_company_can_use_the_same_external_id(self):
        b_id, b_ext = self.create(headers=GLOBEX, externalId=self.a_ext, certificateNumber=f"B-{self.token}")
        self.assertEqual(b_ext, self.a_ext)
        self.assertNotEqual(b_id, self.a_id)
        self.assertEqual([c["originId"] for c in self.search([("EXTERNALID", self.a_ext)])["data"]], [self.a_id])
        self.assertEqual([c["originId"] for c in self.search([("EXTERNALID", self.a_ext)], headers=GLOBEX)["data"]],
                         [b_id])
        # Updating and deleting by that externalId touch B's certification only.
        body = {"certifications": [{"locale": "en", "externalId": self.a_ext, "certificateNumber": "B-2"}]}
        r = self.call("certifications/update", body, headers=GLOBEX)
        self.assertEqual((r.status, r.json["result"]), (200, UPDATED), r)
        self.assertEqual(self.get(b_id, headers=GLOBEX)["certificateNumber"], "B-2")
        r = self.call("certifications/delete", {"certifications": [{"externalId": self.a_ext}]}, headers=GLOBEX)
        self.assertEqual((r.status, r.json["result"]), (200, DELETED), r)
        self.assertEqual(self.search([("EXTERNALID", self.a_ext)], headers=GLOBEX)["data"], [])

    def test_other_company_cannot_read_a_batch(self):
        body = {"certifications": [{"locale": "en", "originId": self.a_id}]}
        r = self.call("async/certifications/update", body)
        self.assertEqual(r.status, 200, r)
        callback = r.json["result"]["poolingCallback"]
        batch = callback.rsplit("/", 1)[1]
        r = self.req("GET", batch_path(callback), headers=GLOBEX)
        self.assertEqual(self.assert_error(r), [not_found(batch, "certifications_update")])
        self.assertEqual(self.wait_result(callback), UPDATED)
        r = self.req("GET", batch_path(callback), headers=GLOBEX)
        self.assertEqual(self.assert_error(r), [not_found(batch, "certifications_update")])
        self.a_before = self.get(self.a_id)


class Async(OriginTest):
    def submit(self, action, body, version="v1", headers=ACME):
        r = self.call(f"async/certifications/{action}", body, headers=headers, version=version)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], {"state": "SUCCESS"})
        self.assertEqual(r.json["connectRequest"], body)
        self.assertEqual(list(r.json["result"]), ["poolingCallback"])
        callback = r.json["result"]["poolingCallback"]
        self.assertRegex(callback, rf"^http://127\.0\.0\.1:{self.server.port}/connect/{version}/result/"
                                   rf"certifications_{action}/batch/{UUID}$")
        return callback

    def result(self, callback, headers=ACME):
        r = self.req("GET", batch_path(callback), headers=headers)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], {"state": "SUCCESS"})
        command, batch = re.search(r"/result/([^/]+)/batch/([^/]+)$", callback).groups()
        self.assertEqual(r.json["connectRequest"], {"command": command, "batchId": batch})
        return r.json["result"]

    def test_async_create_update_delete(self):
        for version in ("v1", "v2"):
            with self.subTest(version=version):
                items = [new_certification(), new_certification()]
                callback = self.submit("create", {"certifications": items}, version)
                result = self.wait_result(callback)
                self.assertEqual(set(result), {"entityType", "correlations"})
                self.assertEqual(result["entityType"], "CERTIFICATION")
                self.assertEqual([c["externalId"] for c in result["correlations"]],
                                 [i["externalId"] for i in items])
                ids = [c["originId"] for c in result["correlations"]]
                self.assertTrue(all(re.fullmatch(UUID, i) for i in ids), ids)
                self.assertEqual(self.get(ids[0])["externalId"], items[0]["externalId"])
                # Asked again: the same result.
                self.assertEqual(self.result(callback), result)

                callback = self.submit("update", {"certifications": [
                    {"locale": "en", "originId": ids[0], "certificateNumber": "ASYNC-1"},
                    {"locale": "en", "externalId": items[1]["externalId"],
                     "brands": [{"collectionBehavior": "ADD", "name": "Async brand"}]}]}, version)
                self.assertEqual(self.wait_result(callback), UPDATED)
                self.assertEqual(self.get(ids[0])["certificateNumber"], "ASYNC-1")
                self.assertEqual(self.get(ids[1])["brands"], [{"name": "Async brand"}])

                callback = self.submit("delete", {"certifications": [
                    {"originId": ids[0]}, {"externalId": items[1]["externalId"]}]}, version)
                self.assertEqual(self.wait_result(callback), DELETED)
                for i in ids:
                    self.assertEqual(self.search([("ORIGINID", i)])["data"], [])

    def test_async_results_match_sync_results(self):
        sync_item, async_item = new_certification(), new_certification()
        r = self.call("certifications/create", {"certifications": [sync_item]})
        sync_result = r.json["result"]
        async_result = self.wait_result(self.submit("create", {"certifications": [async_item]}))
        self.assertEqual(set(async_result), set(sync_result))
        self.assertEqual([set(c) for c in async_result["correlations"]],
                         [set(c) for c in sync_result["correlations"]])
        a_id = async_result["correlations"][0]["originId"]
        s_id = sync_result["correlations"][0]["originId"]
        # The stored certifications look alike.
        a, s = self.get(a_id), self.get(s_id)
        self.assertEqual(dict(a, originId=None, externalId=None), dict(s, originId=None, externalId=None))
        r = self.call("certifications/update", {"certifications": [{"locale": "en", "originId": s_id}]})
        self.assertEqual(self.wait_result(self.submit("update", {"certifications": [
            {"locale": "en", "originId": a_id}]})), r.json["result"])

    def test_validation_errors_come_back_synchronously(self):
        origin_id, external_id = self.create()
        no_locale = new_certification()
        del no_locale["locale"]
        fresh = new_certification()
        cases = [
            ("create", "v1", {"certifications": [no_locale]}, ["certifications[1] require one locale."]),
            ("create", "v1", {"certifications": [fresh, new_certification(externalId=external_id)]},
             [f"certifications[2] has invalid value ''{external_id}'' for field externalId. "
              "A certification of your company already has it."]),
            ("create", "v1", {"certifications": [new_certification(standard={"code": "Custom"})]},
             ["certifications[1] has invalid value ''Custom'' for field standard.code. "
              "See StandardsLookup for a list of possible values."]),
            ("update", "v2", {"certifications": [{"locale": "en", "originId": "no-such-id"}]},
             ["certifications[1] has invalid value ''no-such-id'' for field originId. "
              "No certification of your company has it."]),
            ("update", "v1", {"certifications": [{"locale": "en", "originId": origin_id,
                                                  "brands": [{"collectionBehavior": "SET", "name": "X"}]}]},
             ["certifications[1] has invalid value ''SET'' for field brand[1].collectionBehavior. "
              "Allowed value(s) : [ADD,REMOVE]"]),
            ("delete", "v1", {"certifications": [{"originId": origin_id, "externalId": external_id}]},
             ["certifications[1] require one originId or externalId."]),
            ("delete", "v2", {"certifications": []}, None),
        ]
        for action, version, body, messages in cases:
            with self.subTest(action=action, version=version, body=body):
                r = self.call(f"async/certifications/{action}", body, version=version)
                got = self.assert_error(r)
                self.assertNotIn("result", r.json)
                self.assertEqual(r.json["connectRequest"], body)
                if messages is not None:
                    self.assertEqual(got, messages)
        # No job was stored: a job accepted now runs after any older one, and then the refused
        # create (whose first item was valid) has still created nothing.
        callback = self.submit("update", {"certifications": [{"locale": "en", "originId": origin_id,
                                                              "certificateNumber": "after"}]})
        self.assertEqual(self.wait_result(callback), UPDATED)
        self.assertEqual(self.search([("EXTERNALID", fresh["externalId"])])["data"], [])
        self.assertEqual(self.get(origin_id)["brands"], [])

    def test_unknown_batch_and_mismatched_command(self):
        unknown = str(uuid.uuid4())
        for version in ("v1", "v2"):
            for command in ("certifications_create", "certifications_update", "certifications_delete",
                            "materials_create"):
                with self.subTest(version=version, command=command):
                    r = self.call(f"result/{command}/batch/{unknown}", version=version, method="GET")
                    self.assertEqual(self.assert_error(r), [not_found(unknown, command)])
                    self.assertEqual(r.json["connectRequest"], {"command": command, "batchId": unknown})
        callback = self.submit("create", {"certifications": [new_certification()]})
        batch = callback.rsplit("/", 1)[1]
        self.wait_result(callback)
        for command in ("certifications_update", "certifications_delete", "CERTIFICATIONS_CREATE"):
            with self.subTest(command=command):
                r = self.call(f"result/{command}/batch/{batch}", method="GET")
                self.assertEqual(self.assert_error(r), [not_found(batch, command)])
        r = self.call(f"result/certifications_create/batch/{batch.upper()}x", method="GET")
        self.assert_error(r)


class AsyncRestart(unittest.TestCase):
    """Servers started and restarted on one working directory."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="certreg-origin-async-")
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, *args, env=None):
        self.server = Server(provision=PROVISION, args=list(args), env=env, workdir=self.dir)
        return self.server.start()

    def call(self, path, body=None, method="POST", version="v1"):
        return self.server.request(method, f"/connect/{version}/{path}", body=body, headers=ACME)

    def submit(self, action, body, version="v1"):
        r = self.call(f"async/certifications/{action}", body, version=version)
        self.assertEqual(r.status, 200, r)
        return r.json["result"]["poolingCallback"]

    def poll(self, callback):
        r = self.server.request("GET", batch_path(callback), headers=ACME)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], {"state": "SUCCESS"})
        return r.json["result"]

    def wait(self, callback, timeout=10):
        deadline = time.time() + timeout
        while True:
            result = self.poll(callback)
            if result.get("executionStatus") != "PENDING" or time.time() > deadline:
                return result
            time.sleep(0.05)

    def create(self, **extra):
        item = new_certification(**extra)
        r = self.call("certifications/create", {"certifications": [item]})
        self.assertEqual(r.status, 200, r)
        return r.json["result"]["correlations"][0]["originId"], item["externalId"]

    def find(self, name, value):
        body = {"locale": "en", "pageNumber": 1, "pageSize": 100,
                "searchCriteria": [{"name": name, "value": value}]}
        r = self.call("certifications/search", body)
        self.assertEqual(r.status, 200, r)
        return r.json["result"]["data"]

    # -- with --async-workers 0 (jobs stay pending) ----------------------------------------------

    def test_pending_while_no_worker_runs(self):
        # BUG: docs/origin.md documents `--async-workers N`, but `certreg serve` has no such option
        # (src/main.cpp never registers it): the server refuses to start.
        self.start("--async-workers", "0")
        item = new_certification()
        callback = self.submit("create", {"certifications": [item]})
        batch = callback.rsplit("/", 1)[1]
        time.sleep(0.3)
        for _ in range(2):
            self.assertEqual(self.poll(callback), {"executionStatus": "PENDING", "batchId": batch})
        self.assertEqual(self.find("EXTERNALID", item["externalId"]), [])

    def test_restart_during_a_pending_job(self):
        # BUG: no `--async-workers` option (see test_pending_while_no_worker_runs).
        self.start("--async-workers", "0")
        origin_id, _ = self.create()
        item = new_certification()
        create_cb = self.submit("create", {"certifications": [item]})
        update_cb = self.submit("update", {"certifications": [
            {"locale": "en", "originId": origin_id, "certificateNumber": "after restart"}]}, "v2")
        self.assertEqual(self.poll(update_cb)["executionStatus"], "PENDING")
        self.assertEqual(self.server.stop(), 0)
        self.start()
        result = self.wait(create_cb)
        self.assertEqual([c["externalId"] for c in result["correlations"]], [item["externalId"]])
        self.assertEqual(self.wait(update_cb), UPDATED)
        self.assertEqual(len(self.find("EXTERNALID", item["externalId"])), 1)
        self.assertEqual(self.find("ORIGINID", origin_id)[0]["certificateNumber"], "after restart")

    def test_job_that_became_invalid_ends_in_error(self):
        # BUG: no `--async-workers` option (see test_pending_while_no_worker_runs).
        self.start("--async-workers", "0")
        origin_id, _ = self.create()
        callback = self.submit("update", {"certifications": [
            {"locale": "en", "originId": origin_id, "certificateNumber": "too late"}]})
        batch = callback.rsplit("/", 1)[1]
        r = self.call("certifications/delete", {"certifications": [{"originId": origin_id}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.stop(), 0)
        self.start()
        self.assertEqual(self.wait(callback), {
            "executionStatus": "ERROR", "batchId": batch, "code": CE00001,
            "messages": [f"certifications[1] has invalid value ''{origin_id}'' for field originId. "
                         "No certification of your company has it."]})
        self.assertEqual(self.find("ORIGINID", origin_id), [])

    # -- --public-url ----------------------------------------------------------------------------

    def test_public_url_changes_the_callback_base(self):
        # BUG: docs/origin.md documents `--public-url`, but `certreg serve` has no such option:
        # the server refuses to start.
        self.start("--public-url", "https://registry.example.com")
        for version, action in (("v1", "create"), ("v2", "update"), ("v1", "delete")):
            origin_id, external_id = self.create()
            item = new_certification() if action == "create" else {"locale": "en", "originId": origin_id}
            callback = self.submit(action, {"certifications": [item]}, version)
            self.assertRegex(callback, rf"^https://registry\.example\.com/connect/{version}/result/"
                                       rf"certifications_{action}/batch/{UUID}$")
            self.assertNotEqual(self.wait(callback).get("executionStatus"), "PENDING")

    def test_public_url_from_the_environment(self):
        # BUG: CERTREG_PUBLIC_URL (docs/origin.md) is ignored: the callback keeps the Host.
        self.start(env={"CERTREG_PUBLIC_URL": "https://registry.example.com"})
        callback = self.submit("create", {"certifications": [new_certification()]})
        self.assertRegex(callback, rf"^https://registry\.example\.com/connect/v1/result/"
                                   rf"certifications_create/batch/{UUID}$")

    # -- crashes and stops with the default worker -----------------------------------------------

    def test_sigkill_right_after_the_async_reply(self):
        self.start()
        items = [new_certification() for _ in range(8)]
        callbacks = [self.submit("create", {"certifications": [item]}) for item in items]
        self.server.kill()
        self.start()
        for item, callback in zip(items, callbacks):
            result = self.wait(callback)
            # Ran once: a second run would have met its own externalId and ended in ERROR.
            self.assertEqual(result["entityType"], "CERTIFICATION", result)
            self.assertEqual([c["externalId"] for c in result["correlations"]], [item["externalId"]])
            found = self.find("EXTERNALID", item["externalId"])
            self.assertEqual([c["originId"] for c in found], [result["correlations"][0]["originId"]])
        body = {"locale": "en", "pageNumber": 1, "pageSize": 100, "searchCriteria": []}
        self.assertEqual(self.call("certifications/search", body).json["result"]["searchInfo"]["numberOfElements"],
                         str(len(items)))

    def test_sigterm_with_queued_jobs_loses_none(self):
        self.start()
        origin_id, _ = self.create()
        items = [new_certification() for _ in range(15)]
        callbacks = [self.submit("create", {"certifications": [item]}, "v2") for item in items]
        update_cb = self.submit("update", {"certifications": [
            {"locale": "en", "originId": origin_id, "brands": [{"name": f"B{i}"} for i in range(20)]}]})
        self.assertEqual(self.server.stop(), 0)
        self.start()
        for item, callback in zip(items, callbacks):
            self.assertIn("/connect/v2/result/certifications_create/batch/", callback)
            result = self.wait(callback)
            self.assertEqual([c["externalId"] for c in result.get("correlations", [])], [item["externalId"]],
                             result)
            self.assertEqual(len(self.find("EXTERNALID", item["externalId"])), 1)
        self.assertEqual(self.wait(update_cb), UPDATED)
        self.assertEqual(self.find("ORIGINID", origin_id)[0]["brands"], [{"name": f"B{i}"} for i in range(20)])

    def test_results_survive_a_restart(self):
        self.start()
        origin_id, _ = self.create()
        done = self.submit("update", {"certifications": [{"locale": "en", "originId": origin_id}]})
        self.assertEqual(self.wait(done), UPDATED)
        self.server.kill()
        self.start()
        self.assertEqual(self.poll(done), UPDATED)


if __name__ == "__main__":
    main()
