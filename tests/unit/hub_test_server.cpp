#include "hub_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace genstereo::test {

namespace {

bool sendAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 206:
      return "Partial Content";
    case 302:
      return "Found";
    case 307:
      return "Temporary Redirect";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 416:
      return "Range Not Satisfiable";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

HubTestServer::HubTestServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("HubTestServer: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("HubTestServer: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof(address);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

HubTestServer::~HubTestServer() {
  is_stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) worker.join();
}

std::string HubTestServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

void HubTestServer::setRoute(const std::string& path, HubRoute route) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_[path] = std::move(route);
}

std::vector<RecordedRequest> HubTestServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::vector<RecordedRequest> HubTestServer::requestsFor(const std::string& path) const {
  std::vector<RecordedRequest> matching;
  for (const RecordedRequest& request : requests()) {
    if (request.path == path) matching.push_back(request);
  }
  return matching;
}

void HubTestServer::acceptLoop() {
  while (!is_stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, 20) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.emplace_back([this, fd] {
      handle(fd);
      ::close(fd);
    });
  }
}

void HubTestServer::handle(int fd) {
  std::string head;
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    pollfd waiting{fd, POLLIN, 0};
    if (is_stopping_ || ::poll(&waiting, 1, 20) < 0) return;
    if ((waiting.revents & POLLIN) == 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return;
    head.append(buffer, static_cast<std::size_t>(n));
  }
  RecordedRequest request;
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const std::size_t space1 = request_line.find(' ');
  const std::size_t space2 = request_line.find(' ', space1 + 1);
  request.method = request_line.substr(0, space1);
  request.path = request_line.substr(space1 + 1, space2 - space1 - 1);
  std::size_t position = line_end + 2;
  while (true) {
    line_end = head.find("\r\n", position);
    if (line_end == std::string::npos || line_end == position) break;
    const std::string line = head.substr(position, line_end - position);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[lower(line.substr(0, colon))] = value;
    }
    position = line_end + 2;
  }

  HubRoute route;
  bool is_known = false;
  bool does_fail = false;
  bool does_cut = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    const auto it = routes_.find(request.path);
    if (it != routes_.end()) {
      is_known = true;
      if (it->second.fail_times > 0) {
        --it->second.fail_times;
        does_fail = true;
      }
      if (!does_fail && it->second.cuts_remaining > 0 && it->second.cut_after_bytes >= 0) {
        --it->second.cuts_remaining;
        does_cut = true;
      }
      route = it->second;
    }
  }

  auto respond = [&](int status, const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body, std::size_t declared_length) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(declared_length) + "\r\nConnection: close\r\n\r\n";
    if (!sendAll(fd, out.data(), out.size())) return;
    std::size_t sent = 0;
    while (sent < body.size() && !is_stopping_) {
      if (route.delay_per_chunk_ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(route.delay_per_chunk_ms));
      }
      const std::size_t n = std::min(route.chunk_bytes, body.size() - sent);
      if (!sendAll(fd, body.data() + sent, n)) return;
      sent += n;
    }
  };

  if (!is_known) {
    respond(404, {{"X-Error-Code", "EntryNotFound"}, {"X-Error-Message", "Entry not found"}},
            "Entry not found", 15);
    return;
  }
  if (!route.required_token.empty() &&
      request.header("authorization") != "Bearer " + route.required_token) {
    respond(401, {{"X-Error-Message", "Invalid credentials in Authorization header"}},
            "Unauthorized", 12);
    return;
  }
  if (does_fail) {
    respond(route.fail_status, {}, "try again", 9);
    return;
  }
  std::vector<std::pair<std::string, std::string>> headers = route.headers;
  if (!route.redirect_to.empty()) {
    headers.emplace_back("Location", route.redirect_to);
    respond(route.redirect_status, headers, "", 0);
    return;
  }
  if (route.status != 200) {
    respond(route.status, headers, route.body, route.body.size());
    return;
  }
  std::string body = route.body;
  int status = 200;
  const std::string range = request.header("range");
  if (route.supports_range && range.rfind("bytes=", 0) == 0) {
    const unsigned long long start = std::strtoull(range.c_str() + 6, nullptr, 10);
    if (start >= route.body.size()) {
      headers.emplace_back("Content-Range", "bytes */" + std::to_string(route.body.size()));
      respond(416, headers, "", 0);
      return;
    }
    body = route.body.substr(start);
    status = 206;
    headers.emplace_back("Content-Range", "bytes " + std::to_string(start) + "-" +
                                              std::to_string(route.body.size() - 1) + "/" +
                                              std::to_string(route.body.size()));
  }
  headers.emplace_back("Accept-Ranges", "bytes");
  const std::size_t declared = body.size();
  if (does_cut)
    body = body.substr(
        0, std::min<std::size_t>(body.size(), static_cast<std::size_t>(route.cut_after_bytes)));
  respond(status, headers, body, declared);
}

}  // namespace genstereo::test
