/** Residual networks with torchvision-identical structure and parameter names. */
package io.resdet.backbone;
