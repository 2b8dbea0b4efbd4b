// Every limit certreg enforces, in one place. Documented in docs/limits.md; change both together.
#pragma once

#include <chrono>
#include <cstddef>

namespace certreg::limits {

// HTTP
inline constexpr std::size_t kHeaderBytes = 16 * 1024;
inline constexpr std::size_t kDefaultBodyBytes = 1024 * 1024;    // 1 MiB
inline constexpr std::size_t kBulkBodyBytes = 16 * 1024 * 1024;  // 16 MiB, bulk routes
inline constexpr std::size_t kLargestBodyBytes = kBulkBodyBytes;
inline constexpr std::chrono::seconds kIdleTimeout{30};  // keep-alive wait for the next request
inline constexpr std::chrono::seconds kRequestTimeout{
    30};                                                  // reading one request, header to body end
inline constexpr std::chrono::seconds kWriteTimeout{30};  // writing one response
inline constexpr std::chrono::seconds kShutdownGrace{10};     // in-flight requests after SIGTERM
inline constexpr std::size_t kRateLimitKeysPerShard = 65536;  // x16 shards of token buckets

// JSON
inline constexpr std::size_t kJsonMaxDepth = 64;

// IAF CertSearch (field lengths from the IAF field glossary, in characters)
inline constexpr std::size_t kIafCertificateNumber = 60;
inline constexpr std::size_t kIafCertificateIdentityNumber = 60;
inline constexpr std::size_t kIafEntityName = 300;
inline constexpr std::size_t kIafEntityTradingName = 500;
inline constexpr std::size_t kIafEntityUniqueId = 45;
inline constexpr std::size_t kIafStatus = 45;
inline constexpr std::size_t kIafShortText = 500;   // any other single-line field
inline constexpr std::size_t kIafLongText = 20000;  // scope descriptions
inline constexpr std::size_t kIafMaxSchemes = 100;  // schemes and standards per scheme
inline constexpr std::size_t kIafMaxSites = 1000;
inline constexpr std::size_t kIafDefaultBulkRecords = 100;
inline constexpr int kIafDefaultPageSize = 20;
inline constexpr int kIafMaxPageSize = 100;

// Origin Connect
inline constexpr std::size_t kOriginMaxItems = 100;  // certifications[] per request
inline constexpr int kOriginMaxPageSize = 100;

// EDIN (field lengths from the method pages, in characters)
inline constexpr std::size_t kEdinNumber = 100;
inline constexpr std::size_t kEdinPartNumber = 100;
inline constexpr std::size_t kEdinLotNumber = 50;
inline constexpr std::size_t kEdinGtd = 100;
inline constexpr std::size_t kEdinGtin = 20;
inline constexpr std::size_t kEdinArticle = 30;
inline constexpr std::size_t kEdinComplaintText = 500;
inline constexpr std::size_t kEdinFileName = 255;
inline constexpr std::size_t kEdinScanBytes = 7864320;               // 7.5 MiB, the UI's limit
inline constexpr std::size_t kEdinScanBodyBytes = 11 * 1024 * 1024;  // the scan in base64, and JSON
// Sertifika Merkezi (lengths in characters)
inline constexpr std::size_t kSertifikaMaxItems = 1000;  // certificateItem[], e-mails per revoke
inline constexpr std::size_t kSertifikaBodyBytes = 8 * 1024 * 1024;  // POST certificate/
inline constexpr std::size_t kSertifikaMaxText = 500;  // Name, Surname, Educator, a metaTag
inline constexpr std::size_t kSertifikaMaxEmail = 254;
inline constexpr std::size_t kSertifikaMaxPropertyValue = 4000;
inline constexpr std::size_t kSertifikaMaxMetaTags = 100;  // metaTag[] per item

// Store
inline constexpr std::size_t kWriteBatchJobs = 512;  // jobs committed together at most

}  // namespace certreg::limits
