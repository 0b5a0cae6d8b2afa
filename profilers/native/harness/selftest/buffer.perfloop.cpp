void correctness_inputs(perfloop::Inputs& in) {
  in.add(10);
  in.add(100000);
}
void performance_inputs(perfloop::Inputs& in) {
  in.add(1 << 20);
  in.add(1000);
}
