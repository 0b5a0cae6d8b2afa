// `long sum(const int* a, size_t n)`: the array parameter's storage is std::vector<int>.
void correctness_inputs(perfloop::Inputs& in) {
  in.add({1, 2, 3}, 3);
  in.add({}, 0);
  in.add({-5}, 1);
  in.add({1, 2, 3, 4, 5, 6, 7, 8, 9}, 9);
}

// (n may be any integer type)
void sized_input(unsigned n, perfloop::Inputs& in) {
  std::vector<int> a(n);
  for (unsigned i = 0; i < n; i++) a[i] = static_cast<int>(i % 1000) - 500;
  in.add(a, n);
}
