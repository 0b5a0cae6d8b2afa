// Inputs as data: the compact binary form in which the `inputs` process (the LLM-written generator with the original,
// never a candidate) hands each seed's inputs to the sides, whose executables hold no generator code at all
// (../README.md, "Inputs made apart").
//
// Part of perfloop_harness.hpp, which includes it (after perfloop_snapshot.hpp: it reuses the snapshot's field visiting);
// not a header of its own.
//
// Encoded by the parameters' storage types, with no type tags (both ends are built from the same declarations; the file
// names its argument type, checked first):
//   bool, Bool                         one byte, 0 or 1
//   integers, enums, chars, floats     their bytes as they are in memory (both ends run on this machine)
//   basic_string<Ch>                   a 64-bit length, then the code units
//   vector, deque, list, set, map, multiset, multimap, unordered_*, vector<bool>
//                                      a 64-bit count, then the elements (maps: key, then value)
//   std::array, C arrays               the elements
//   pair, tuple, complex               the members in order
//   optional                           one byte (0 or 1), then the value
//   classes                            one byte (1), then the fields: Perfloop's field list of a method's class
//                                      (perfloop_fields), else an aggregate's fields in order (visitFieldPairs)
// What cannot make that trip is decided by type, not by value (untransferable): pointers inside values (raw or smart),
// classes that cannot be default-constructed, assigned, or have fields Perfloop cannot visit (private members without a
// field list), std::variant, function pointers. Then the generator runs beside the code, as before, and the report says
// why. Decoding never trusts the file: a format header, every length checked against the bytes left, nesting at most
// kTransferDepth deep, a byte that must be 0 or 1 checked; a malformed file is an error, not a crash.
#ifndef PERFLOOP_TRANSFER_HPP
#define PERFLOOP_TRANSFER_HPP

#ifndef PERFLOOP_HARNESS_HPP
#error "perfloop_transfer.hpp is part of perfloop_harness.hpp: include that"
#endif

#include <deque>
#include <list>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace perfloop {
namespace detail {

inline constexpr char kTransferMagic[8] = {'P', 'F', 'L', 'I', 'N', 'P', 'U', 'T'};
inline constexpr std::uint32_t kTransferVersion = 1;
inline constexpr int kTransferDepth = 200;
/** Items that take no bytes (an input of a function without parameters): at most this many in one list. */
inline constexpr std::uint64_t kMaxEmptyItems = 1u << 16;
/** Containers reserve at most this many elements ahead of the bytes that make them. */
inline constexpr std::size_t kReserveAhead = 1u << 16;

template <class Tp> struct IsStdSequence : std::false_type {};
template <class Tp, class Al> struct IsStdSequence<std::vector<Tp, Al>> : std::true_type {};
template <class Tp, class Al> struct IsStdSequence<std::deque<Tp, Al>> : std::true_type {};
template <class Tp, class Al> struct IsStdSequence<std::list<Tp, Al>> : std::true_type {};
template <class Tp> struct IsVectorBool : std::false_type {};
template <class Al> struct IsVectorBool<std::vector<bool, Al>> : std::true_type {};
template <class Tp> struct IsStdSet : std::false_type {};
template <class Tp, class Cm, class Al> struct IsStdSet<std::set<Tp, Cm, Al>> : std::true_type {};
template <class Tp, class Cm, class Al> struct IsStdSet<std::multiset<Tp, Cm, Al>> : std::true_type {};
template <class Tp, class Hs, class Eq, class Al> struct IsStdSet<std::unordered_set<Tp, Hs, Eq, Al>> : std::true_type {};
template <class Tp, class Hs, class Eq, class Al> struct IsStdSet<std::unordered_multiset<Tp, Hs, Eq, Al>> : std::true_type {};
template <class Tp> struct IsStdMap : std::false_type {};
template <class Kt, class Vt, class Cm, class Al> struct IsStdMap<std::map<Kt, Vt, Cm, Al>> : std::true_type {};
template <class Kt, class Vt, class Cm, class Al> struct IsStdMap<std::multimap<Kt, Vt, Cm, Al>> : std::true_type {};
template <class Kt, class Vt, class Hs, class Eq, class Al> struct IsStdMap<std::unordered_map<Kt, Vt, Hs, Eq, Al>> : std::true_type {};
template <class Kt, class Vt, class Hs, class Eq, class Al> struct IsStdMap<std::unordered_multimap<Kt, Vt, Hs, Eq, Al>> : std::true_type {};
template <class Tp> struct IsStdArray : std::false_type {};
template <class Tp, std::size_t Size> struct IsStdArray<std::array<Tp, Size>> : std::true_type {};

/** A class whose value is its fields: Perfloop's field list (a method's class), else an aggregate's. */
template <class Tp>
inline constexpr bool kFieldClass = std::is_class_v<Tp> && (HasPerfloopFields<Tp>::value || IsFieldWise<Tp>::value);

/** visit(field) for each field of `value`, while it returns true. */
template <class Tp, class Visit>
bool visitFields(const Tp& value, Visit&& visit) {
  auto each = [&visit](const auto& field, const auto&) { return visit(field); };
  if constexpr (HasPerfloopFields<Tp>::value) return Tp::perfloop_fields(value, value, each);
  else return visitFieldPairs(value, value, each);
}

template <class Tp>
constexpr std::size_t leastBytes();
template <class Tuple> struct TupleLeastBytes;
template <class... Ts> struct TupleLeastBytes<std::tuple<Ts...>> {
  static constexpr std::size_t value = (std::size_t{0} + ... + leastBytes<Ts>());
};

/** The fewest bytes one encoded value of Tp takes: bounds a count by the bytes left. */
template <class Tp>
constexpr std::size_t leastBytes() {
  using Bare = std::remove_cv_t<Tp>;
  if constexpr (std::is_same_v<Bare, bool> || std::is_same_v<Bare, Bool>) return 1;
  else if constexpr (std::is_arithmetic_v<Bare> || std::is_enum_v<Bare>) return sizeof(Bare);
  else if constexpr (std::is_array_v<Bare>) return std::extent_v<Bare> * leastBytes<std::remove_extent_t<Bare>>();
  else if constexpr (IsStdArray<Bare>::value) return std::tuple_size_v<Bare> * leastBytes<typename Bare::value_type>();
  else if constexpr (IsPair<Bare>::value) return leastBytes<typename Bare::first_type>() + leastBytes<typename Bare::second_type>();
  else if constexpr (IsTuple<Bare>::value) return TupleLeastBytes<Bare>::value;
  else if constexpr (IsComplex<Bare>::value) return 2 * sizeof(typename Bare::value_type);
  else if constexpr (IsBasicString<Bare>::value || IsStdSequence<Bare>::value || IsVectorBool<Bare>::value || IsStdSet<Bare>::value || IsStdMap<Bare>::value) return 8;
  else return 1;  // optional, classes
}

/**
 * Why a value of Tp cannot be passed as data, or "" when it can: decided by its type (the fields of a class are looked at
 * on a default-constructed object, for their types). A type met again inside itself (a tree of vectors of nodes) counts
 * as transferable there.
 */
template <class Tp>
std::string untransferable();

template <class... Ts>
std::string firstUntransferable(TypeTag<std::tuple<Ts...>>) {
  std::string why;
  ((why = why.empty() ? untransferable<Ts>() : why), ...);
  return why;
}

template <class Tp>
std::string untransferable() {
  using Bare = std::remove_cv_t<Tp>;
  if constexpr (std::is_same_v<Bare, bool> || std::is_same_v<Bare, Bool> || std::is_arithmetic_v<Bare> || std::is_enum_v<Bare>) {
    return std::string();
  } else if constexpr (IsBasicString<Bare>::value || IsComplex<Bare>::value || IsVectorBool<Bare>::value) {
    return std::string();
  } else if constexpr (std::is_array_v<Bare>) {
    return untransferable<std::remove_extent_t<Bare>>();
  } else if constexpr (IsStdArray<Bare>::value || IsOptional<Bare>::value || IsStdSequence<Bare>::value || IsStdSet<Bare>::value) {
    return untransferable<typename Bare::value_type>();
  } else if constexpr (IsStdMap<Bare>::value) {
    std::string why = untransferable<typename Bare::key_type>();
    return why.empty() ? untransferable<typename Bare::mapped_type>() : why;
  } else if constexpr (IsPair<Bare>::value) {
    std::string why = untransferable<typename Bare::first_type>();
    return why.empty() ? untransferable<typename Bare::second_type>() : why;
  } else if constexpr (IsTuple<Bare>::value) {
    return firstUntransferable(TypeTag<Bare>{});
  } else if constexpr (std::is_pointer_v<Bare> || std::is_member_pointer_v<Bare> || IsSmartPointer<Bare>::value) {
    return "a pointer (" + typeName<Bare>() + "): what it points to is not part of a value";
  } else if constexpr (std::is_class_v<Bare> && !std::is_union_v<Bare> && !IsVariant<Bare>::value && !IsStringView<Bare>::value) {
    if constexpr (!std::is_default_constructible_v<Bare> || !std::is_move_assignable_v<Bare>) {
      return typeName<Bare>() + " cannot be default-constructed and assigned";
    } else if constexpr (!kFieldClass<Bare>) {
      return typeName<Bare>() + " has fields Perfloop cannot visit (private members, or not an aggregate)";
    } else {
      static bool visiting = false;
      if (visiting) return std::string();
      visiting = true;
      std::string why;
      Bare probe{};
      visitFields(probe, [&why](const auto& field) {
        why = untransferable<std::remove_cv_t<std::remove_reference_t<decltype(field)>>>();
        return why.empty();
      });
      visiting = false;
      return why.empty() ? why : why + ", inside " + typeName<Bare>();
    }
  } else {
    return typeName<Bare>() + " is not plain data";
  }
}

class TransferWriter {
 public:
  template <class Tp>
  void raw(const Tp& value) { bytes_.append(reinterpret_cast<const char*>(&value), sizeof value); }
  void count(std::size_t count) { raw(static_cast<std::uint64_t>(count)); }
  void flag(bool value) { bytes_.push_back(value ? '\1' : '\0'); }
  void bytes(const void* data, std::size_t size) { bytes_.append(static_cast<const char*>(data), size); }
  const std::string& text() const { return bytes_; }

 private:
  std::string bytes_;
};

/** Reads a file it does not trust: the first problem is kept, and every read after it fails. */
class TransferReader {
 public:
  TransferReader(const char* data, std::size_t size) : at_(data), end_(data + size) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t left() const { return static_cast<std::size_t>(end_ - at_); }
  bool refuse(const std::string& why) {
    if (error_.empty()) error_ = why + " (at byte " + std::to_string(size_ - left()) + ")";
    return false;
  }
  void setSize(std::size_t size) { size_ = size; }

  bool bytes(void* out, std::size_t size) {
    if (!ok()) return false;
    if (left() < size) return refuse("it ends early: the file is truncated");
    if (size > 0) std::memcpy(out, at_, size);
    at_ += size;
    return true;
  }
  template <class Tp>
  bool raw(Tp& value) { return bytes(&value, sizeof value); }
  bool flag(bool& value) {
    unsigned char byte = 0;
    if (!raw(byte)) return false;
    if (byte > 1) return refuse("a flag byte is " + std::to_string(byte) + ", not 0 or 1");
    value = byte == 1;
    return true;
  }
  /** A count of items taking at least `itemBytes` bytes each: never more than the bytes left can hold. */
  bool count(std::size_t& count, std::size_t itemBytes) {
    std::uint64_t value = 0;
    if (!raw(value)) return false;
    const std::uint64_t most = itemBytes > 0 ? left() / itemBytes : kMaxEmptyItems;
    if (value > most) return refuse("a count of " + std::to_string(value) + " is more than the rest of the file holds");
    count = static_cast<std::size_t>(value);
    return true;
  }
  bool enter() { return ++depth_ <= kTransferDepth || refuse("values nest more than " + std::to_string(kTransferDepth) + " deep"); }
  void leave() { --depth_; }

 private:
  const char* at_;
  const char* end_;
  std::size_t size_ = 0;
  int depth_ = 0;
  std::string error_;
};

template <class Tp>
void encodeValue(TransferWriter& out, const Tp& value) {
  using Bare = std::remove_cv_t<Tp>;
  if constexpr (std::is_same_v<Bare, bool> || std::is_same_v<Bare, Bool>) {
    out.flag(static_cast<bool>(value));
  } else if constexpr (std::is_arithmetic_v<Bare> || std::is_enum_v<Bare>) {
    out.raw(value);
  } else if constexpr (IsBasicString<Bare>::value) {
    out.count(value.size());
    out.bytes(value.data(), value.size() * sizeof(typename Bare::value_type));
  } else if constexpr (IsComplex<Bare>::value) {
    out.raw(value.real());
    out.raw(value.imag());
  } else if constexpr (std::is_array_v<Bare> || IsStdArray<Bare>::value) {
    for (const auto& item : value) encodeValue(out, item);
  } else if constexpr (IsOptional<Bare>::value) {
    out.flag(value.has_value());
    if (value) encodeValue(out, *value);
  } else if constexpr (IsPair<Bare>::value) {
    encodeValue(out, value.first);
    encodeValue(out, value.second);
  } else if constexpr (IsTuple<Bare>::value) {
    std::apply([&out](const auto&... items) { (encodeValue(out, items), ...); }, value);
  } else if constexpr (IsVectorBool<Bare>::value || IsStdSequence<Bare>::value || IsStdSet<Bare>::value || IsStdMap<Bare>::value) {
    out.count(static_cast<std::size_t>(std::distance(value.begin(), value.end())));
    if constexpr (IsUnordered<Bare>::value) out.count(value.bucket_count());
    for (const auto& item : value) encodeValue(out, item);  // maps: pair<const K, V>, key then value
  } else if constexpr (kFieldClass<Bare>) {
    out.flag(true);
    visitFields(value, [&out](const auto& field) {
      encodeValue(out, field);
      return true;
    });
  }
  // Anything else is untransferable: never encoded.
}

template <class Tp>
bool decodeValue(TransferReader& in, Tp& value);

/** What one element of a set or map decodes into (a map's key is not const there). */
template <class Tp, bool Map = IsStdMap<Tp>::value>
struct DecodedItem {
  using type = typename Tp::value_type;
};
template <class Tp>
struct DecodedItem<Tp, true> {
  using type = std::pair<typename Tp::key_type, typename Tp::mapped_type>;
};

/** One element of a container, decoded into a value of its own. */
template <class Tp, class Add>
bool decodeElement(TransferReader& in, Add&& add) {
  if constexpr (!std::is_default_constructible_v<Tp>) {
    return in.refuse(typeName<Tp>() + " cannot be default-constructed");
  } else {
    Tp item{};
    if (!decodeValue(in, item)) return false;
    add(std::move(item));
    return true;
  }
}

template <class Tp>
bool decodeValue(TransferReader& in, Tp& value) {
  using Bare = std::remove_cv_t<Tp>;
  if (!in.enter()) return false;
  bool good = true;
  if constexpr (std::is_const_v<Tp>) {
    good = in.refuse("a const member cannot be filled");
  } else if constexpr (std::is_same_v<Bare, bool> || std::is_same_v<Bare, Bool>) {
    bool flag = false;
    good = in.flag(flag);
    value = flag;
  } else if constexpr (std::is_arithmetic_v<Bare> || std::is_enum_v<Bare>) {
    good = in.raw(value);
  } else if constexpr (IsBasicString<Bare>::value) {
    using Unit = typename Bare::value_type;
    std::size_t size = 0;
    good = in.count(size, sizeof(Unit));
    if (good) {
      value.resize(size);
      good = in.bytes(value.data(), size * sizeof(Unit));
    }
  } else if constexpr (IsComplex<Bare>::value) {
    typename Bare::value_type re{}, im{};
    good = in.raw(re) && in.raw(im);
    value = Bare(re, im);
  } else if constexpr (std::is_array_v<Bare> || IsStdArray<Bare>::value) {
    for (auto& item : value) good = good && decodeValue(in, item);
  } else if constexpr (IsOptional<Bare>::value) {
    bool present = false;
    good = in.flag(present);
    value.reset();
    if (good && present) good = decodeElement<typename Bare::value_type>(in, [&value](auto&& item) { value.emplace(std::move(item)); });
  } else if constexpr (IsPair<Bare>::value) {
    good = decodeValue(in, value.first) && decodeValue(in, value.second);
  } else if constexpr (IsTuple<Bare>::value) {
    good = std::apply([&in](auto&... items) { return (true && ... && decodeValue(in, items)); }, value);
  } else if constexpr (IsVectorBool<Bare>::value) {
    std::size_t size = 0;
    good = in.count(size, 1);
    value.assign(good ? size : 0, false);
    for (std::size_t i = 0; good && i < size; i++) {
      bool flag = false;
      good = in.flag(flag);
      value[i] = flag;
    }
  } else if constexpr (IsUnordered<Bare>::value && (IsStdSet<Bare>::value || IsStdMap<Bare>::value)) {
    // The same buckets, and the items inserted last to first: each goes to the front of its bucket, so the copy iterates
    // in the order the original did (the round trip compares snapshots, which follow that order).
    using Item = typename DecodedItem<Bare>::type;
    std::size_t size = 0;
    std::uint64_t buckets = 0;
    good = in.count(size, leastBytes<Item>()) && in.raw(buckets);
    std::vector<Item> items;
    items.reserve((std::min)(size, kReserveAhead));
    for (std::size_t i = 0; good && i < size; i++) good = decodeElement<Item>(in, [&items](Item&& item) { items.push_back(std::move(item)); });
    value.clear();
    if (good && buckets <= 4 * static_cast<std::uint64_t>(size) + 64) value.rehash(static_cast<std::size_t>(buckets));
    for (auto item = items.rbegin(); good && item != items.rend(); ++item) value.insert(std::move(*item));
  } else if constexpr (IsStdSequence<Bare>::value || IsStdSet<Bare>::value) {
    using Item = typename Bare::value_type;
    std::size_t size = 0;
    good = in.count(size, leastBytes<Item>());
    value.clear();
    if constexpr (std::is_same_v<Bare, std::vector<Item, typename Bare::allocator_type>>) value.reserve((std::min)(size, kReserveAhead));
    for (std::size_t i = 0; good && i < size; i++) {
      good = decodeElement<Item>(in, [&value](Item&& item) {
        if constexpr (IsStdSet<Bare>::value) value.insert(std::move(item));
        else value.push_back(std::move(item));
      });
    }
  } else if constexpr (IsStdMap<Bare>::value) {
    using Key = typename Bare::key_type;
    using Mapped = typename Bare::mapped_type;
    std::size_t size = 0;
    good = in.count(size, leastBytes<Key>() + leastBytes<Mapped>());
    value.clear();
    for (std::size_t i = 0; good && i < size; i++) {
      good = decodeElement<Key>(in, [&](Key&& key) {
        decodeElement<Mapped>(in, [&](Mapped&& mapped) { value.emplace(std::move(key), std::move(mapped)); });
      }) && in.ok();
    }
  } else if constexpr (kFieldClass<Bare>) {
    bool marked = false;
    good = in.flag(marked);
    if (good && !marked) good = in.refuse("a class value is marked absent");
    // The object is the decoder's own, not const: its fields are written where the visit shows them.
    if (good) {
      visitFields(value, [&in, &good](const auto& field) {
        using Field = std::remove_reference_t<decltype(field)>;
        good = decodeValue(in, const_cast<std::remove_const_t<Field>&>(field));
        return good;
      });
    }
  } else {
    good = in.refuse(typeName<Bare>() + " cannot be read as data");
  }
  in.leave();
  return good && in.ok();
}

/** FNV-1a of the argument type as the compiler spells it (no RTTI needed): a file made for another signature is refused. */
template <class Tp>
std::uint64_t transferTypeCheck() {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char* at = __PRETTY_FUNCTION__; *at != '\0'; at++) hash = (hash ^ static_cast<unsigned char>(*at)) * 1099511628211ull;
  return hash;
}

}  // namespace detail
}  // namespace perfloop

#endif  // PERFLOOP_TRANSFER_HPP
