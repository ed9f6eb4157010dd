// A 3 x 5 pixel font (digits, letters, a little punctuation) so that pictures can carry labels
// without a font library. Lower case is drawn as upper case; unknown characters as a box.
#include <cctype>
#include <cstdint>

#include "tensorgraph/canvas.h"

namespace tg {
namespace {

// Five rows of three bits each (the top row in the high bits; in a row, bit 2 is the left pixel).
std::uint16_t glyph(char ch) {
  auto g = [](int r0, int r1, int r2, int r3, int r4) {
    return static_cast<std::uint16_t>((r0 << 12) | (r1 << 9) | (r2 << 6) | (r3 << 3) | r4);
  };
  switch (std::toupper(static_cast<unsigned char>(ch))) {
    case '0': return g(7, 5, 5, 5, 7);  case '1': return g(2, 6, 2, 2, 7);  case '2': return g(7, 1, 7, 4, 7);
    case '3': return g(7, 1, 7, 1, 7);  case '4': return g(5, 5, 7, 1, 1);  case '5': return g(7, 4, 7, 1, 7);
    case '6': return g(7, 4, 7, 5, 7);  case '7': return g(7, 1, 1, 1, 1);  case '8': return g(7, 5, 7, 5, 7);
    case '9': return g(7, 5, 7, 1, 7);  case 'A': return g(2, 5, 7, 5, 5);  case 'B': return g(6, 5, 6, 5, 6);
    case 'C': return g(3, 4, 4, 4, 3);  case 'D': return g(6, 5, 5, 5, 6);  case 'E': return g(7, 4, 6, 4, 7);
    case 'F': return g(7, 4, 6, 4, 4);  case 'G': return g(3, 4, 5, 5, 3);  case 'H': return g(5, 5, 7, 5, 5);
    case 'I': return g(7, 2, 2, 2, 7);  case 'J': return g(1, 1, 1, 5, 2);  case 'K': return g(5, 5, 6, 5, 5);
    case 'L': return g(4, 4, 4, 4, 7);  case 'M': return g(5, 7, 7, 5, 5);  case 'N': return g(6, 5, 5, 5, 5);
    case 'O': return g(2, 5, 5, 5, 2);  case 'P': return g(6, 5, 6, 4, 4);  case 'Q': return g(2, 5, 5, 6, 3);
    case 'R': return g(6, 5, 6, 5, 5);  case 'S': return g(3, 4, 2, 1, 6);  case 'T': return g(7, 2, 2, 2, 2);
    case 'U': return g(5, 5, 5, 5, 7);  case 'V': return g(5, 5, 5, 5, 2);  case 'W': return g(5, 5, 7, 7, 5);
    case 'X': return g(5, 5, 2, 5, 5);  case 'Y': return g(5, 5, 2, 2, 2);  case 'Z': return g(7, 1, 2, 4, 7);
    case '.': return g(0, 0, 0, 0, 2);  case ',': return g(0, 0, 0, 2, 4);  case '-': return g(0, 0, 7, 0, 0);
    case '+': return g(0, 2, 7, 2, 0);  case '=': return g(0, 7, 0, 7, 0);  case '/': return g(1, 1, 2, 4, 4);
    case ':': return g(0, 2, 0, 2, 0);  case '%': return g(5, 1, 2, 4, 5);  case '(': return g(2, 4, 4, 4, 2);
    case ')': return g(2, 1, 1, 1, 2);  case ' ': return 0;
    default: return g(7, 5, 5, 5, 7) ^ g(0, 2, 2, 2, 0);  // a box with a bar: "unknown"
  }
}

}  // namespace

int Canvas::text_width(const std::string& text, int scale) {
  return text.empty() ? 0 : static_cast<int>(text.size()) * 4 * scale - scale;
}

void Canvas::draw_text(int x, int y, const std::string& text, Color c, int scale) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint16_t bits = glyph(text[i]);
    const int gx = x + static_cast<int>(i) * 4 * scale;
    for (int r = 0; r < 5; ++r)
      for (int col = 0; col < 3; ++col)
        if (bits >> ((4 - r) * 3 + (2 - col)) & 1)
          fill_rect(gx + col * scale, y + r * scale, gx + (col + 1) * scale, y + (r + 1) * scale, c);
  }
}

}  // namespace tg
