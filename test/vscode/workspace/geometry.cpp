// Editor fixture: which C++ functions get an "Optimize" lens (free functions, namespaced or extern "C", overloads by
// their lines, methods) and which do not (constructors, templates, prototypes, main).
#include <cmath>
#include <cstddef>
#include <vector>

static double square(double x) { return x * x; }

double dot(const double* a, const double* b, std::size_t n);

namespace geo {
namespace detail {
const double* farthest(const std::vector<double>& xs) {
  const double* best = xs.empty() ? nullptr : &xs[0];
  for (const double& x : xs) {
    if (std::fabs(x) > std::fabs(*best)) best = &x;
  }
  return best;
}
}  // namespace detail

double norm(const std::vector<double>& v) {
  double total = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    double partial = 0;
    for (std::size_t j = 0; j <= i; ++j) partial = v[j] * v[j];
    total += partial;
  }
  return std::sqrt(total);
}

class Polygon {
 public:
  explicit Polygon(std::vector<double> xs) : xs_(std::move(xs)) {}
  double perimeter() const { return static_cast<double>(xs_.size()); }
  double area() const;

 private:
  std::vector<double> xs_;
};
}  // namespace geo

double geo::Polygon::area() const { return 0.0; }

template <typename T>
T largest(const std::vector<T>& v) {
  T best = v[0];
  for (const T& x : v) best = x > best ? x : best;
  return best;
}

extern "C" long count_positive(const long* xs, long n) {
  long count = 0;
  for (long i = 0; i < n; ++i) count += xs[i] > 0 ? 1 : 0;
  return count;
}

int scale(int x) { return x * 2; }

double scale(double x) {
  return x * 2.0;
}

int main() {
  std::vector<double> v{3.0, 4.0};
  return geo::norm(v) > 4.9 ? 0 : 1;
}
