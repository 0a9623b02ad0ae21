#include "io/pickle_state_dict.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "errors.h"

namespace genstereo {

namespace {

struct Value;
// Values are owned by the machine's arena (see Machine::make), never by each other: a forged
// pickle can nest containers a million deep or make one contain itself, and neither must
// lead to a recursive destructor (stack overflow) or a reference cycle (leak).
using ValuePtr = Value*;

// A state dict nests 4 levels (dict, tensor arguments, shape tuple, integer); anything far
// deeper is refused before it is built.
constexpr int kMaxNestingDepth = 32;

// The few kinds of objects a state-dict pickle builds.
struct Value {
  enum class Kind {
    kNone,
    kBool,
    kInt,
    kFloat,
    kString,
    kTuple,
    kList,
    kDict,
    kGlobal,
    kStorage,
    kTensor
  };
  Kind kind = Kind::kNone;
  std::int64_t integer = 0;
  double real = 0.0;
  std::string text;                                    // string; global "module.name"; storage key
  std::vector<ValuePtr> items;                         // tuple, list
  std::vector<std::pair<ValuePtr, ValuePtr>> entries;  // dict, in insertion order
  TensorDtype dtype = TensorDtype::kF32;               // storage
  PickledTensor tensor;                                // tensor
  int depth = 0;                                       // containers nested inside, + 1
};

const std::map<std::string, TensorDtype>& storageTypes() {
  static const std::map<std::string, TensorDtype> types = {
      {"torch.FloatStorage", TensorDtype::kF32},     {"torch.HalfStorage", TensorDtype::kF16},
      {"torch.BFloat16Storage", TensorDtype::kBF16}, {"torch.DoubleStorage", TensorDtype::kF64},
      {"torch.LongStorage", TensorDtype::kI64},      {"torch.IntStorage", TensorDtype::kI32},
      {"torch.ByteStorage", TensorDtype::kU8},       {"torch.CharStorage", TensorDtype::kI8},
      {"torch.BoolStorage", TensorDtype::kBool}};
  return types;
}

bool isAllowedGlobal(const std::string& name) {
  return name == "collections.OrderedDict" || name == "torch._utils._rebuild_tensor_v2" ||
         name == "torch._utils._rebuild_parameter" || storageTypes().count(name) > 0;
}

class Machine {
 public:
  Machine(const std::uint8_t* data, std::size_t size, const std::string& name)
      : data_(data), size_(size), name_(name) {}

  ValuePtr make(Value::Kind kind) {
    arena_.push_back(std::make_unique<Value>());
    arena_.back()->kind = kind;
    return arena_.back().get();
  }

  ValuePtr run() {
    while (true) {
      const std::size_t at = pos_;
      const std::uint8_t op = byte();
      switch (op) {
        case 0x80:
          byte();
          break;  // PROTO
        case 0x95:
          bytes(8);
          break;  // FRAME
        case '.':
          return pop();  // STOP
        case '(':        // MARK
          if (marks_.size() >= static_cast<std::size_t>(kMaxNestingDepth))
            fail(at, "pickle nests too deeply");
          marks_.push_back(stack_.size());
          break;
        case 'N':
          push(make(Value::Kind::kNone));
          break;
        case 0x88:
          push(boolean(true));
          break;  // NEWTRUE
        case 0x89:
          push(boolean(false));
          break;  // NEWFALSE
        case 'K':
          push(integer(byte()));
          break;  // BININT1
        case 'M':
          push(integer(le(2)));
          break;  // BININT2
        case 'J':
          push(integer(static_cast<std::int32_t>(le(4))));
          break;  // BININT
        case 0x8a:
          push(long1());
          break;  // LONG1
        case 'G':
          push(binfloat());
          break;  // BINFLOAT
        case 'X':
          push(string(le(4)));
          break;  // BINUNICODE
        case 0x8c:
          push(string(byte()));
          break;  // SHORT_BINUNICODE
        case 0x8d:
          push(string(le(8)));
          break;  // BINUNICODE8
        case ')':
          push(make(Value::Kind::kTuple));
          break;  // EMPTY_TUPLE
        case 0x85:
          push(tuple(1));
          break;  // TUPLE1
        case 0x86:
          push(tuple(2));
          break;  // TUPLE2
        case 0x87:
          push(tuple(3));
          break;  // TUPLE3
        case 't':
          push(tupleFromMark());
          break;  // TUPLE
        case ']':
          push(make(Value::Kind::kList));
          break;  // EMPTY_LIST
        case '}':
          push(make(Value::Kind::kDict));
          break;  // EMPTY_DICT
        case 'a':
          append();
          break;  // APPEND
        case 'e':
          appends();
          break;  // APPENDS
        case 's':
          setitem();
          break;  // SETITEM
        case 'u':
          setitems();
          break;  // SETITEMS
        case 'q':
          memo_[byte()] = top();
          break;  // BINPUT
        case 'r':
          memo_[le(4)] = top();
          break;  // LONG_BINPUT
        case 0x94:
          memo_[memo_.size()] = top();
          break;  // MEMOIZE
        case 'h':
          push(memo(byte()));
          break;  // BINGET
        case 'j':
          push(memo(le(4)));
          break;     // LONG_BINGET
        case 'c': {  // GLOBAL
          const std::string module = line();
          push(global(module + "." + line()));
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          const ValuePtr attribute = pop();
          const ValuePtr module = pop();
          if (module->kind != Value::Kind::kString || attribute->kind != Value::Kind::kString)
            fail(at, "STACK_GLOBAL without names");
          push(global(module->text + "." + attribute->text));
          break;
        }
        case 'Q':
          push(persistentLoad(pop(), at));
          break;  // BINPERSID
        case 'R':
          reduce(at);
          break;  // REDUCE
        case 'b':
          build(at);
          break;  // BUILD
        default:
          fail(at, "unsupported pickle opcode 0x" + hex(op) +
                       " (only plain state dicts of tensors can be loaded)");
      }
    }
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    throw CheckpointError("'" + name_ + "': " + what + " (data.pkl offset " + std::to_string(at) +
                          ")");
  }
  static std::string hex(std::uint8_t op) {
    const char* digits = "0123456789abcdef";
    return std::string{digits[op >> 4], digits[op & 15]};
  }
  std::uint8_t byte() {
    if (pos_ >= size_) fail(pos_, "truncated pickle");
    return data_[pos_++];
  }
  const std::uint8_t* bytes(std::uint64_t count) {
    if (count > size_ - pos_) fail(pos_, "truncated pickle");
    const std::uint8_t* start = data_ + pos_;
    pos_ += static_cast<std::size_t>(count);
    return start;
  }
  std::uint64_t le(int count) {
    const std::uint8_t* p = bytes(static_cast<std::uint64_t>(count));
    std::uint64_t value = 0;
    for (int i = count - 1; i >= 0; --i) value = (value << 8) | p[i];
    return value;
  }
  std::string line() {
    const std::size_t start = pos_;
    while (pos_ < size_ && data_[pos_] != '\n') ++pos_;
    if (pos_ >= size_) fail(start, "truncated pickle");
    return std::string(reinterpret_cast<const char*>(data_ + start), pos_++ - start);
  }
  void push(ValuePtr value) {
    if (stack_.size() > 100000) fail(pos_, "pickle stack too deep");
    stack_.push_back(std::move(value));
  }
  ValuePtr pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
      fail(pos_, "pickle stack underflow");
    ValuePtr value = stack_.back();
    stack_.pop_back();
    return value;
  }
  // Records that `child` now sits inside `container`, refusing nesting beyond the bound.
  void nest(Value& container, const Value& child) {
    if (&container == &child || child.depth + 1 > kMaxNestingDepth)
      fail(pos_, "pickle nests too deeply");
    container.depth = std::max(container.depth, child.depth + 1);
  }
  ValuePtr top() {
    if (stack_.empty()) fail(pos_, "pickle stack underflow");
    return stack_.back();
  }
  ValuePtr memo(std::uint64_t key) {
    const auto it = memo_.find(key);
    if (it == memo_.end()) fail(pos_, "pickle refers to an unknown memo entry");
    return it->second;
  }
  std::vector<ValuePtr> popToMark() {
    if (marks_.empty()) fail(pos_, "pickle MARK missing");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }
  ValuePtr boolean(bool b) {
    ValuePtr v = make(Value::Kind::kBool);
    v->integer = b ? 1 : 0;
    return v;
  }
  ValuePtr integer(std::int64_t i) {
    ValuePtr v = make(Value::Kind::kInt);
    v->integer = i;
    return v;
  }
  ValuePtr long1() {
    const std::uint8_t count = byte();
    if (count > 8) fail(pos_, "integer too large in pickle");
    const std::uint8_t* p = bytes(count);
    std::uint64_t value = 0;
    for (int i = count - 1; i >= 0; --i) value = (value << 8) | p[i];
    if (count > 0 && count < 8 && (p[count - 1] & 0x80)) value |= ~std::uint64_t{0} << (8 * count);
    return integer(static_cast<std::int64_t>(value));
  }
  ValuePtr binfloat() {
    const std::uint8_t* p = bytes(8);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];  // big-endian
    ValuePtr v = make(Value::Kind::kFloat);
    std::memcpy(&v->real, &bits, sizeof bits);
    return v;
  }
  ValuePtr string(std::uint64_t length) {
    const std::uint8_t* p = bytes(length);
    ValuePtr v = make(Value::Kind::kString);
    v->text.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(length));
    return v;
  }
  ValuePtr tuple(int count) {
    ValuePtr v = make(Value::Kind::kTuple);
    v->items.resize(static_cast<std::size_t>(count));
    for (int i = count - 1; i >= 0; --i) v->items[static_cast<std::size_t>(i)] = pop();
    for (const ValuePtr item : v->items) nest(*v, *item);
    return v;
  }
  ValuePtr tupleFromMark() {
    ValuePtr v = make(Value::Kind::kTuple);
    v->items = popToMark();
    for (const ValuePtr item : v->items) nest(*v, *item);
    return v;
  }
  void append() {
    ValuePtr item = pop();
    if (top()->kind != Value::Kind::kList) fail(pos_, "APPEND to a non-list");
    nest(*top(), *item);
    top()->items.push_back(item);
  }
  void appends() {
    std::vector<ValuePtr> items = popToMark();
    if (top()->kind != Value::Kind::kList) fail(pos_, "APPENDS to a non-list");
    for (const ValuePtr item : items) {
      nest(*top(), *item);
      top()->items.push_back(item);
    }
  }
  void setitem() {
    ValuePtr value = pop();
    ValuePtr key = pop();
    if (top()->kind != Value::Kind::kDict) fail(pos_, "SETITEM on a non-dict");
    nest(*top(), *key);
    nest(*top(), *value);
    top()->entries.emplace_back(key, value);
  }
  void setitems() {
    std::vector<ValuePtr> items = popToMark();
    if (items.size() % 2 != 0) fail(pos_, "SETITEMS with an odd number of items");
    if (top()->kind != Value::Kind::kDict) fail(pos_, "SETITEMS on a non-dict");
    for (std::size_t i = 0; i < items.size(); i += 2) {
      nest(*top(), *items[i]);
      nest(*top(), *items[i + 1]);
      top()->entries.emplace_back(items[i], items[i + 1]);
    }
  }
  ValuePtr global(const std::string& name) {
    if (!isAllowedGlobal(name)) {
      fail(pos_, "refusing the pickle global '" + name +
                     "': only plain state dicts of tensors can be loaded, and nothing in a "
                     "checkpoint is ever executed");
    }
    ValuePtr v = make(Value::Kind::kGlobal);
    v->text = name;
    return v;
  }
  // ('storage', <storage type>, key, location, numel)
  ValuePtr persistentLoad(const ValuePtr& id, std::size_t at) {
    if (id->kind != Value::Kind::kTuple || id->items.size() != 5 ||
        id->items[0]->kind != Value::Kind::kString || id->items[0]->text != "storage" ||
        id->items[1]->kind != Value::Kind::kGlobal || id->items[2]->kind != Value::Kind::kString ||
        id->items[4]->kind != Value::Kind::kInt) {
      fail(at, "unexpected persistent id (expected a torch storage reference)");
    }
    const auto type = storageTypes().find(id->items[1]->text);
    if (type == storageTypes().end())
      fail(at, "'" + id->items[1]->text + "' is not a storage type");
    ValuePtr storage = make(Value::Kind::kStorage);
    storage->dtype = type->second;
    storage->text = id->items[2]->text;
    storage->integer = id->items[4]->integer;
    return storage;
  }
  static bool isIntTuple(const ValuePtr& v) {
    if (v->kind != Value::Kind::kTuple) return false;
    for (const auto& item : v->items) {
      if (item->kind != Value::Kind::kInt) return false;
    }
    return true;
  }
  void reduce(std::size_t at) {
    ValuePtr args = pop();
    ValuePtr callable = pop();
    if (callable->kind != Value::Kind::kGlobal || args->kind != Value::Kind::kTuple)
      fail(at, "REDUCE of a non-callable");
    const std::string& name = callable->text;
    if (name == "collections.OrderedDict") {
      if (!args->items.empty()) fail(at, "OrderedDict with arguments");
      push(make(Value::Kind::kDict));
    } else if (name == "torch._utils._rebuild_tensor_v2") {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      if (args->items.size() < 4 || args->items[0]->kind != Value::Kind::kStorage ||
          args->items[1]->kind != Value::Kind::kInt || !isIntTuple(args->items[2]) ||
          !isIntTuple(args->items[3]) ||
          args->items[2]->items.size() != args->items[3]->items.size()) {
        fail(at, "malformed tensor record");
      }
      ValuePtr tensor = make(Value::Kind::kTensor);
      const Value& storage = *args->items[0];
      tensor->tensor.dtype = storage.dtype;
      tensor->tensor.storage_key = storage.text;
      tensor->tensor.storage_numel = storage.integer;
      tensor->tensor.storage_offset = args->items[1]->integer;
      for (const auto& d : args->items[2]->items) tensor->tensor.shape.push_back(d->integer);
      for (const auto& s : args->items[3]->items) tensor->tensor.strides.push_back(s->integer);
      push(tensor);
    } else if (name == "torch._utils._rebuild_parameter") {
      // (tensor, requires_grad, backward_hooks): a Parameter is its tensor here.
      if (args->items.empty() || args->items[0]->kind != Value::Kind::kTensor)
        fail(at, "malformed parameter record");
      push(args->items[0]);
    } else {
      fail(at, "refusing to call '" + name + "'");
    }
  }
  // BUILD sets an object's state; a state dict only uses it for OrderedDict._metadata,
  // which carries nothing we need.
  void build(std::size_t at) {
    ValuePtr state = pop();
    if (top()->kind != Value::Kind::kDict) fail(at, "BUILD on an object other than a dict");
    (void)state;
  }

  const std::uint8_t* data_;
  std::size_t size_;
  const std::string& name_;
  std::size_t pos_ = 0;
  std::vector<ValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::map<std::uint64_t, ValuePtr> memo_;
  std::vector<std::unique_ptr<Value>> arena_;
};

}  // namespace

std::vector<PickledTensor> readPickledStateDict(const std::uint8_t* data, std::size_t size,
                                                const std::string& display_name) {
  Machine machine(data, size, display_name);
  const ValuePtr root = machine.run();
  if (root->kind != Value::Kind::kDict) {
    throw CheckpointError("'" + display_name + "' does not hold a state dict (name -> tensor)");
  }
  std::vector<PickledTensor> tensors;
  std::set<std::string> names;
  for (const auto& [key, value] : root->entries) {
    if (key->kind != Value::Kind::kString) {
      throw CheckpointError("'" + display_name + "': a state dict key is not a string");
    }
    if (!names.insert(key->text).second) {
      throw CheckpointError(
          "'" + display_name + "' lists the key '" + key->text +
          "' twice (damaged or forged file: refusing to guess which one is meant)");
    }
    if (value->kind != Value::Kind::kTensor) {
      throw CheckpointError("'" + display_name + "': entry '" + key->text +
                            "' is not a tensor (the file holds more than a plain state dict; "
                            "save model.state_dict() alone)");
    }
    PickledTensor tensor = value->tensor;
    tensor.name = key->text;
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

}  // namespace genstereo
