void correctness_inputs(perfloop::Inputs& in) {
  in.add({{0, 0}, {2, 2}}, 2);
  in.add({{0.1, 0.7}, {0.2, 0.3}, {0.3, 1e-3}}, 3);
  in.add({}, 0);
  // The two ways of averaging round differently here (by 1e-7 in 5.6e8): equal with the default tolerance (1e-7
  // relative), different with floatTolerance 0 (the absolute floor is 1e-9).
  in.add({{686433675.4504867, 1}, {809851016.0219618, 2}, {184473628.0968114, 3}}, 3);
}
