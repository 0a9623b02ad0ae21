// A small HTTP/1.1 server on 127.0.0.1 (an ephemeral port), run in threads, that serves a fake
// Hugging Face hub tree to the download tests: fixed routes with a status, headers and a body,
// HTTP Range, redirects, a required bearer token, connections cut after N bytes, slow bodies
// and transient errors. Every request is recorded for the assertions. No internet needed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace genstereo::test {

struct HubRoute {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
  std::string redirect_to;  // when set: answer `redirect_status` with this Location
  int redirect_status = 302;
  std::string required_token;  // when set: 401 unless "Authorization: Bearer <token>"
  bool supports_range = true;
  std::int64_t cut_after_bytes = -1;  // close the connection after this many body bytes...
  int cuts_remaining = 0;             // ...this many times
  int fail_times = 0;                 // answer `fail_status` this many times first
  int fail_status = 503;
  int delay_per_chunk_ms = 0;  // slow body: a pause before every chunk
  std::size_t chunk_bytes = 16384;
};

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lowercased names

  bool has(const std::string& name) const { return headers.count(name) != 0; }
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HubTestServer {
 public:
  HubTestServer();  // listens at once
  ~HubTestServer();
  HubTestServer(const HubTestServer&) = delete;
  HubTestServer& operator=(const HubTestServer&) = delete;

  int port() const { return port_; }
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"
  void setRoute(const std::string& path, HubRoute route);
  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requestsFor(const std::string& path) const;

 private:
  void acceptLoop();
  void handle(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> is_stopping_{false};
  mutable std::mutex mutex_;
  std::map<std::string, HubRoute> routes_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace genstereo::test
