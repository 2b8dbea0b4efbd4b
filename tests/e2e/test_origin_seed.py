"""Every sample request of the Origin seed document, replayed in order against one certification
created first, each checked for the state it describes through CertificationsSearch; in v1 and
v2, synchronously and asynchronously. Also the seed's error sample."""

import json

from origin_fixtures import (ACME, CE00001, SAMPLE_IDS, OriginTest, seed_samples)
from harness import main

CONTACT = {"externalId": "JOHNSMITHVENDOR1", "type": "VENDOR", "companyName": "ACME Inc.",
           "name": "John Smith", "website": "https://www.acme.com/",
           "postalAddress": "2500 Street Avenue P.O. Box 999 Manchester, PA 1234",
           "phone": "1-999-123-1234", "email": "salesrep@acme.com"}
IMAGE = [{"originalUrl": "https://public.facing.url/image.jpg"}]
HK = {"standard": {"code": "Hong Kong Air Pollution Control (VOC) regulation"},
      "productTypeCode": "Graphic arts (sign) coatings"}


def content(c):
    return c.get("voc", {}).get("content", {})


def emission(c):
    return c.get("voc", {}).get("emission", {})


# What the certification must look like after each sample, by the sample's title.
EXPECT = {
    "Update of certifications attributes": lambda t, c: (
        t.assertEqual(c["url"], "https://public.facing.url/certificate.pdf"),
        t.assertEqual(c["certificateNumber"], "123456"),
        t.assertEqual(c["issueDate"], "2008-09-15T15:53:00"),
        t.assertEqual(c["expiryDate"], "2010-09-15T15:53:00")),
    "Update of standard": lambda t, c: t.assertEqual(c["standard"], {"code": "ISO 9001"}),
    "Update of reporting body": lambda t, c: t.assertEqual(c["reportingBody"], {"name": "Veritas"}),
    "Update the certification by ADDING a brand": lambda t, c: t.assertEqual(
        c["brands"], [{"name": "ACME Inc.", "website": "www.acmexyz.com"}]),
    "Update the certification by UPDATING a brand website": lambda t, c: t.assertEqual(
        c["brands"], [{"name": "ACME Inc.", "website": "www.acmexyz-2000.com"}]),
    "Update the certification by REMOVING a brand.": lambda t, c: t.assertEqual(c["brands"], []),
    "Update the certification by ADDING a contact": lambda t, c: t.assertEqual(c["contacts"], [CONTACT]),
    "Update the certification by UPDATING a contact website": lambda t, c: t.assertEqual(
        c["contacts"], [dict(CONTACT, website="https://www.acme-2000.com/")]),
    "Update the certification by REMOVING a contact": lambda t, c: t.assertEqual(c["contacts"], []),
    "Update the certification by ADDING a document": lambda t, c: t.assertEqual(
        c["additionalsDocuments"], IMAGE),
    "Update the certification by REMOVING a document": lambda t, c: t.assertEqual(
        c["additionalsDocuments"], []),
    "Update the certification visibility. ADD channel = PUBLISH on that channel": lambda t, c: (
        t.assertEqual(c["channels"], [{"name": "ORIGIN"}]),
        t.assertIn(c["originId"], t.published())),
    "Update the certification visibility. REMOVE channel = UNPUBLISH from that channel": lambda t, c: (
        t.assertEqual(c["channels"], []), t.assertNotIn(c["originId"], t.published())),
    "Update the certification by ADDING a regulatory standard compliance": lambda t, c: t.assertEqual(
        c["regulatoryStandardCompliances"], [{"code": "ISO 9001"}]),
    "Update the certification by REMOVING a regulatory standard compliance": lambda t, c: t.assertEqual(
        c["regulatoryStandardCompliances"], []),
    "Update the certification by ADDING a custom feature": lambda t, c: t.assertEqual(
        c["featuresCustoms"], [{"name": "Highest supported temperature", "value": "1500C"}]),
    "Update the certification by UPDATING a custom feature.": lambda t, c: t.assertEqual(
        c["featuresCustoms"], [{"name": "Highest supported temperature", "value": "2000C"}]),
    "Update the certification by REMOVING a custom feature.": lambda t, c: t.assertEqual(
        c["featuresCustoms"], []),
    "Update the certification voc content by UPDATING its attributes.": lambda t, c: (
        t.assertEqual(content(c)["densityLimitGL"], "40"),
        t.assertEqual(content(c)["containsAddedMCPCE"], "true")),
    "Update the certification voc content by ADDING a regulatory standard compliance.": lambda t, c:
        t.assertEqual(content(c)["regulatoryStandardCompliances"], [HK]),
    "Update the certification voc content by REMOVING a regulatory standard compliance.": lambda t, c:
        t.assertEqual(content(c)["regulatoryStandardCompliances"], []),
    "Update the certification voc content by ADDING a custom standard compliance.": lambda t, c:
        t.assertEqual(content(c)["regulatoryStandardCustoms"], [{"standard": {"code": "A CUSTOM CODE"}}]),
    "Update the certification voc content by REMOVING a custom standard compliance.": lambda t, c:
        t.assertEqual(content(c)["regulatoryStandardCustoms"], []),
    "Update the certification voc content by ADDING a test method.": lambda t, c: t.assertEqual(
        content(c)["testMethods"], [{"standard": {"code": "ASTM Methods D2369"}}]),
    "Update the certification voc content by REMOVING a test method.": lambda t, c: t.assertEqual(
        content(c)["testMethods"], []),
    "Update the certification voc content by ADDING an exempt compound.": lambda t, c: t.assertEqual(
        content(c)["exemptCompounds"],
        [{"CAS": "109-99-9", "name": "Tetrahydrofuran", "percentByWeight": "1"}]),
    "Update the certification voc content by UPDATING an exempt compound attributes.": lambda t, c:
        t.assertEqual(content(c)["exemptCompounds"],
                      [{"CAS": "109-99-9", "name": "Tetrahydrofuran", "percentByWeight": "1.5"}]),
    "Update the certification voc content by REMOVING an exempt compound.": lambda t, c: t.assertEqual(
        content(c)["exemptCompounds"], []),
    "Update the certification voc emission by UPDATING its attributes.": lambda t, c: (
        t.assertEqual(emission(c)["densityMin"], "250"),
        t.assertEqual(emission(c)["densityMax"], "500")),
    "Update the certification voc emission by ADDING a regulatory standard compliance.": lambda t, c:
        t.assertEqual(emission(c)["regulatoryStandardCompliances"],
                      [{"standard": {"code": "CDPH Standard Method 2010 v1.1"}}]),
    "Update the certification voc emission by REMOVING a regulatory standard compliance.": lambda t, c: (
        t.assertEqual(emission(c)["regulatoryStandardCompliances"], []),
        t.assertEqual(emission(c)["densityMin"], "250")),
    "All fields": lambda t, c: t.check_all_fields(c),
}


class SeedSamples(OriginTest):
    def published(self):
        return [c["originId"] for c in self.search([("CHANNEL", "ORIGIN")])["data"]]

    def check_all_fields(self, c):
        self.assertEqual(c["certificateNumber"], "ABC-123-000001")
        self.assertEqual(c["url"], "https://public.facing.url/certificate.pdf")
        self.assertEqual(c["additionalsDocuments"], IMAGE)
        # An element without collectionBehavior is an ADD.
        self.assertEqual(c["regulatoryStandardCompliances"], [{"code": "ISO 9001"}])
        self.assertEqual(c["reportingBody"], {"name": "Veritas"})
        self.assertEqual(c["standard"], {"code": "EPD"})
        self.assertEqual(c["brands"], [{"name": "ACME Inc.", "website": "www.acmexyz.com"}])
        self.assertEqual(c["contacts"], [CONTACT])
        self.assertEqual(c["channels"], [{"name": "ORIGIN"}])
        self.assertEqual(c["featuresCustoms"], [{"name": "Highest supported temperature", "value": "1500C"}])
        self.assertEqual(c["featuresProperties"], [{"code": "EPD_TYPE", "value": "product-specific"}])
        self.assertEqual(content(c), {
            "densityLimitGL": "10", "containsAddedMCPCE": "true",
            "regulatoryStandardCompliances": [{"standard": {"code": "CARB SCM (2007)"},
                                               "productTypeCode": "Specialty Coatings - Bituminous Roof Coatings"}],
            "regulatoryStandardCustoms": [{"standard": {"code": "A CUSTOM CODE"}}],
            "testMethods": [{"standard": {"code": "ASTM Methods D2369"}}],
            "exemptCompounds": [{"CAS": "142731-63-32", "name": "TRANS-3-HEPTENE", "percentByWeight": "1.9"}]})
        self.assertEqual(emission(c), {"densityMin": "250", "densityMax": "500",
                                       "regulatoryStandardCompliances": [
                                           {"standard": {"code": "Blue Angel Elastic Floorings"}}]})

    def replay(self, version, asynchronous):
        samples = seed_samples()
        self.assertEqual(len(samples), 32)
        self.assertEqual({t for t, _ in samples}, set(EXPECT))
        origin_id, external_id = self.create(version)
        for title, text in samples:
            with self.subTest(sample=title):
                for sample_id in SAMPLE_IDS:
                    text = text.replace(sample_id, origin_id)
                path = ("async/" if asynchronous else "") + "certifications/update"
                r = self.call(path, raw=text.encode(), version=version,
                              headers=dict(ACME, **{"Content-Type": "application/json"}))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["status"], {"state": "SUCCESS"})
                if asynchronous:
                    callback = r.json["result"]["poolingCallback"]
                    self.assertIn(f"/connect/{version}/result/certifications_update/batch/", callback)
                    result = self.wait_result(callback)
                else:
                    result = r.json["result"]
                self.assertEqual(result, {"entityType": "CERTIFICATION", "result": "Update completed."})
                c = self.get(origin_id)
                self.assertEqual(c["externalId"], external_id)
                EXPECT[title](self, c)

    def test_v1_sync(self):
        self.replay("v1", False)

    def test_v2_sync(self):
        self.replay("v2", False)

    def test_v1_async(self):
        self.replay("v1", True)

    def test_v2_async(self):
        self.replay("v2", True)

    def test_error_sample(self):
        body = {"certifications": [{"url": "https://public.facing.url/certificate.pdf",
                                    "contacts": {"collectionBehavior": "ADD ITEM", "name": "Jack Smith"}}]}
        r = self.call("certifications/update", body)
        messages = self.assert_error(r)
        self.assertEqual(r.json["connectRequest"], body)
        for expected in [
                "certifications[1] require one locale.",
                "certifications[1] require one originId or externalId.",
                "certifications[1] has invalid value ''ADD ITEM'' for field contact[1].collectionBehavior. "
                "Allowed value(s) : [ADD,REMOVE]"]:
            self.assertIn(expected, messages)
        # The same item sent to create lacks its externalId, in the seed's words.
        r = self.call("certifications/create", body)
        self.assertIn("certifications[1] require one externalId", self.assert_error(r))


if __name__ == "__main__":
    main()
