void correctness_inputs(perfloop::Inputs& in) {
  in.add("  hello");
  in.add("");
  in.add("x y");
  in.add(" \tindented");
}
