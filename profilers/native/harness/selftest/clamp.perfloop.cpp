void correctness_inputs(perfloop::Inputs& in) {
  in.add({1, 5, 10}, 2, 8);
  in.add({}, 0, 1);
  in.add({-3, 3, 30, -30, 0, 7, 8, 9, 10}, -5, 5);
}

void performance_inputs(perfloop::Inputs& in) {
  std::vector<int> v(100000);
  for (std::size_t i = 0; i < v.size(); i++) v[i] = static_cast<int>((i * 2654435761u) % 2001) - 1000;
  in.add(v, -500, 500);
}
