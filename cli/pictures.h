#pragma once
// The generative tasks' pictures (PNG, drawn with tensorgraph_plot): grids of images, originals
// beside their reconstructions, a VAE's 2-D latent plane and its test set's codes, loss curves.
#include <string>
#include <vector>

#include "tensorgraph/tensor.h"

namespace tgcli {

/// Images [n, 784] in [0, 1] (dark ink on white paper) in a grid of `cols` columns at `scale` pixels
/// per pixel under a `title`.
void image_grid(const tg::Tensor& images, int cols, int scale, const std::string& title, const std::string& path);
/// Originals [n, 784] and their reconstructions in pairs of rows (originals above), `cols` per row.
void reconstruction_grid(const tg::Tensor& originals, const tg::Tensor& reconstructions, int cols,
                         const std::string& title, const std::string& path);
/// Images decoded on a `side` x `side` grid of the 2-D latent plane (`images` row by row from the
/// top-left, z1 rising rightwards and z2 upwards over [-span, span]), with the axes labelled.
void latent_plane(const tg::Tensor& images, int side, double span, const std::string& path);
/// The 2-D codes [n, 2] of labelled images, one dot per image coloured by class, with a legend.
void latent_scatter(const tg::Tensor& codes, const tg::Tensor& labels, const std::string& path);
/// One line per named series over epochs 1, 2, ... on one chart.
void curves(const std::string& title, const std::string& y_title, const std::vector<std::string>& names,
            const std::vector<std::vector<double>>& values, const std::string& path);

}  // namespace tgcli
