#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace vitrine {

// A fresh temporary directory, removed with everything in it when the test ends.
class TestDirectory {
 public:
  TestDirectory() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("vitrine-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TestDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestDirectory(const TestDirectory&) = delete;
  TestDirectory& operator=(const TestDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace vitrine
