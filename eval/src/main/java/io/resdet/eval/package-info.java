/** COCO and PASCAL VOC detection evaluation, identical to pycocotools and the VOC devkit. */
package io.resdet.eval;
